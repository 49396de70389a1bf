package io.tributary.runtime.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.schema.Column;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a column value read from any side (JDBC, an Avro record from Kafka, a Spark row from Hudi) as one
 * canonical string per {@link io.tributary.schema.ColumnKind}, so that the three sides can be compared exactly:
 * integers in decimal, decimals at the column's scale, dates ISO, times and timestamps as microseconds, bytes in hex,
 * JSON re-serialized without whitespace. Null stays null.
 */
public final class Canonical {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private Canonical() {}

  /** Canonical forms of every column of a row image; missing columns are absent. */
  public static Map<String, String> row(Iterable<Column> columns, Map<String, ?> image) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Column c : columns) {
      if (image.containsKey(c.name())) {
        out.put(c.name(), value(c, image.get(c.name())));
      }
    }
    return out;
  }

  /**
   * The canonical string of one value.
   *
   * @throws IllegalArgumentException if the value cannot be read as the column's kind
   */
  public static String value(Column c, Object v) {
    if (v == null) {
      return null;
    }
    switch (c.kind()) {
      case BOOLEAN:
        return Boolean.toString(v instanceof Boolean ? (Boolean) v : Boolean.parseBoolean(v.toString()));
      case INT32:
      case INT64:
        return Long.toString(v instanceof Number ? ((Number) v).longValue() : Long.parseLong(v.toString()));
      case FLOAT32:
        return Float.toString(v instanceof Number ? ((Number) v).floatValue() : Float.parseFloat(v.toString()));
      case FLOAT64:
        return Double.toString(v instanceof Number ? ((Number) v).doubleValue() : Double.parseDouble(v.toString()));
      case DECIMAL:
        BigDecimal d = new BigDecimal(v.toString());
        // a value with more digits than the column's scale is shown as it is, so it compares unequal
        return d.scale() <= c.scale() ? d.setScale(c.scale()).toPlainString() : d.toPlainString();
      case STRING:
      case UUID:
        return v.toString();
      case JSON:
        try {
          return JSON.readTree(v.toString()).toString();
        } catch (Exception e) {
          return "(invalid JSON) " + v;
        }
      case BYTES:
        return HexFormat.of().formatHex(bytes(v));
      case DATE:
        return date(v).toString();
      case TIME_MICROS:
        return Long.toString(timeMicros(v));
      case TIMESTAMP_MICROS:
        return Long.toString(localTimestampMicros(v));
      case TIMESTAMP_TZ_MICROS:
        return Long.toString(instantMicros(v));
      default:
        throw new IllegalArgumentException("unknown kind " + c.kind());
    }
  }

  private static byte[] bytes(Object v) {
    if (v instanceof byte[]) {
      return (byte[]) v;
    }
    if (v instanceof ByteBuffer) {
      ByteBuffer b = ((ByteBuffer) v).duplicate();
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    }
    return Base64.getDecoder().decode(v.toString());
  }

  private static LocalDate date(Object v) {
    if (v instanceof LocalDate) {
      return (LocalDate) v;
    }
    if (v instanceof java.sql.Date) {
      return ((java.sql.Date) v).toLocalDate();
    }
    if (v instanceof Number) {
      return LocalDate.ofEpochDay(((Number) v).longValue());
    }
    String s = v.toString();
    return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
  }

  private static long timeMicros(Object v) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    LocalTime t = v instanceof LocalTime ? (LocalTime) v : LocalTime.parse(v.toString());
    return t.toNanoOfDay() / 1000;
  }

  private static long localTimestampMicros(Object v) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    LocalDateTime t;
    if (v instanceof LocalDateTime) {
      t = (LocalDateTime) v;
    } else if (v instanceof java.sql.Timestamp) {
      t = ((java.sql.Timestamp) v).toLocalDateTime();
    } else {
      String s = v.toString().replace(' ', 'T');
      t = s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")
          ? OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
          : LocalDateTime.parse(s);
    }
    return ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), t);
  }

  private static long instantMicros(Object v) {
    if (v instanceof Number) {
      return ((Number) v).longValue();
    }
    Instant i;
    if (v instanceof Instant) {
      i = (Instant) v;
    } else if (v instanceof OffsetDateTime) {
      i = ((OffsetDateTime) v).toInstant();
    } else if (v instanceof java.sql.Timestamp) {
      i = ((java.sql.Timestamp) v).toInstant();
    } else {
      String s = v.toString().replace(' ', 'T');
      i = s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")
          ? OffsetDateTime.parse(s).toInstant()
          : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    }
    return ChronoUnit.MICROS.between(Instant.EPOCH, i);
  }
}
