package io.tributary.schema;

/**
 * The kind of a change, with the one-letter codes of the Debezium envelope's {@code op} field.
 *
 * <p>Source: Debezium connector documentation, "change event values": {@code c} create, {@code u} update,
 * {@code d} delete, {@code r} read (a row emitted by a snapshot).
 */
public enum Op {
  /** A row inserted after the snapshot; {@code before} is null, {@code after} is set. */
  CREATE("c"),
  /** A row updated; {@code after} is set, {@code before} is set when the source provides it. */
  UPDATE("u"),
  /** A row deleted; {@code before} is set (at least the primary key), {@code after} is null. */
  DELETE("d"),
  /** A row read by a snapshot; {@code before} is null, {@code after} is set. */
  READ("r");

  private final String code;

  Op(String code) {
    this.code = code;
  }

  /** The one-letter code written into the envelope's {@code op} field: c, u, d or r. */
  public String code() {
    return code;
  }

  /**
   * Parses a one-letter code.
   *
   * @throws IllegalArgumentException if {@code code} is not one of c, u, d, r
   */
  public static Op fromCode(String code) {
    for (Op op : values()) {
      if (op.code.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException("'" + code + "' is not an op; use c, u, d or r");
  }
}
