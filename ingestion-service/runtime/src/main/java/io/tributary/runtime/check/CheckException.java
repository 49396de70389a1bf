package io.tributary.runtime.check;

/**
 * The consistency check cannot be made (as opposed to finding differences): a service is unreachable, the pipeline's
 * replication slot does not exist, the pipeline did not catch up within the timeout, a sink cannot be read. The
 * message says what and where, never a password. {@code tributary verify} exits with code 2.
 */
public class CheckException extends Exception {
  private static final long serialVersionUID = 1L;

  /** @param message what cannot be checked and why */
  public CheckException(String message) {
    super(message);
  }

  /**
   * @param message what cannot be checked and why
   * @param cause the underlying failure
   */
  public CheckException(String message, Throwable cause) {
    super(message, cause);
  }
}
