package io.tributary.config;

/**
 * The {@code errors:} block: what happens to a change that cannot be written (it fails a stage such as VALIDATE or
 * SERIALIZE), and where dead letters go.
 *
 * @param mode what happens to a record that fails a stage (default FAIL)
 * @param dlqTopic the dead-letter topic when mode is DLQ, else null
 * @param dlqBootstrapServers the Kafka bootstrap servers ({@code host:port[,host:port...]}) of the dead-letter topic
 *     when mode is DLQ: {@code errors.dlq.bootstrap.servers}, else the {@code bootstrap.servers} of the first sink of
 *     type {@code kafka}; null when mode is not DLQ, or when built without it (the runtime then falls back to the first
 *     Kafka sink itself)
 */
public record ErrorSettings(ErrorMode mode, String dlqTopic, String dlqBootstrapServers) {
  /** Settings without dead-letter bootstrap servers (see the record comment for the fallback). */
  public ErrorSettings(ErrorMode mode, String dlqTopic) {
    this(mode, dlqTopic, null);
  }
}
