package io.tributary.sink.hudi;

/** A failure of the Hudi sink that names the sink, the table and the path involved, and what to do about it. */
public class HudiSinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what failed, where, and the remedy if any */
  public HudiSinkException(String message) {
    super(message);
  }

  /**
   * @param message what failed, where, and the remedy if any
   * @param cause the underlying failure, may be null
   */
  public HudiSinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
