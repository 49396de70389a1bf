package io.tributary.schema;

import java.io.Serializable;
import java.util.Objects;

/**
 * One column of a source table after type mapping.
 *
 * @param name column name as in the source
 * @param kind mapped logical type
 * @param nullable whether the column admits NULL
 * @param precision total digits for DECIMAL, otherwise 0
 * @param scale digits after the point for DECIMAL, otherwise 0
 * @param sourceType the source's type name (for example {@code numeric(10,2)}, {@code timestamptz}), for messages
 */
public record Column(String name, ColumnKind kind, boolean nullable, int precision, int scale, String sourceType)
    implements Serializable {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    if (kind == ColumnKind.DECIMAL && (precision <= 0 || scale < 0 || scale > precision)) {
      throw new IllegalArgumentException(
          "column " + name + ": decimal needs 0 < precision and 0 <= scale <= precision, got (" + precision + ","
              + scale + ")");
    }
  }

  /** A column of a kind that needs no precision or scale. */
  public static Column of(String name, ColumnKind kind, boolean nullable, String sourceType) {
    return new Column(name, kind, nullable, 0, 0, sourceType);
  }
}
