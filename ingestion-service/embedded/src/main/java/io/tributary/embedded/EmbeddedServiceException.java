package io.tributary.embedded;

/**
 * An embedded service could not be prepared, started or reached: a missing artifact in the local Maven
 * repository, a child process that exited or did not answer in time (the message then quotes its last log
 * lines), or a failed administrative statement.
 */
public class EmbeddedServiceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and what to do about it
   */
  public EmbeddedServiceException(String message) {
    super(message);
  }

  /**
   * @param message what failed, where, and what to do about it
   * @param cause the underlying failure; may be null
   */
  public EmbeddedServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}
