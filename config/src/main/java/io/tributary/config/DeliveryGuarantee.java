package io.tributary.config;

/** What a sink promises after restarts: each change written exactly once, or at least once (duplicates possible). */
public enum DeliveryGuarantee {
  EXACTLY_ONCE,
  AT_LEAST_ONCE
}
