package io.tributary.config;

/** The stage of the data path where a record failed; written in dead-letter headers and error messages. */
public enum Stage {
  READ,
  CONVERT,
  VALIDATE,
  SERIALIZE,
  WRITE
}
