package io.tributary.sink.kafka;

/**
 * A Kafka sink failure with a message naming where it happened (table, subject, topic, column) and why: preparing
 * topics or schemas on the client, or serializing a change in the job.
 */
public class KafkaSinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, where and why */
  public KafkaSinkException(String message) {
    super(message);
  }

  /**
   * @param message what failed, where and why
   * @param cause the underlying error
   */
  public KafkaSinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
