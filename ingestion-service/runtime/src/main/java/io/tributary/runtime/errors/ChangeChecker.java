package io.tributary.runtime.errors;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link ChangeEvent} against its table's {@link TableSchema}: whether every sink can write it. The rules
 * are those of the Avro conversion both sinks use ({@code AvroRecords}: Kafka envelope and row records, Hudi rows),
 * so that a change passing here does not fail later at SERIALIZE or WRITE:
 *
 * <ul>
 *   <li>no value is an {@link InvalidValue} (a value the source could not convert, such as MySQL's zero date or a
 *       decimal beyond its column), in either image;
 *   <li>the after-image (ops r, c, u) holds every column of the table and nothing else, with no null in a NOT NULL
 *       column;
 *   <li>the before-image of a delete holds every primary key column, not null (a before-image may otherwise lack
 *       columns or hold null in NOT NULL columns: {@code REPLICA IDENTITY DEFAULT} sends only the key, and the sinks
 *       write the type's zero value there, as Debezium does);
 *   <li>each non-null value has the Java class {@link ColumnKind} documents for its column (or a widening the Avro
 *       conversion accepts: Short/Byte for 32-bit kinds, Integer for 64-bit kinds, Float for FLOAT64, integral
 *       numbers for DECIMAL, {@link java.util.UUID} for UUID, {@link ByteBuffer} for BYTES); a Double or Float NaN
 *       or Infinity in a DECIMAL column is reported as such (legal in FLOAT32/FLOAT64 columns, where Avro floats
 *       hold them);
 *   <li>a DECIMAL value fits its column: no more digits after the point than the scale (no rounding) and no more
 *       digits in all than the precision (Avro decimal(p,s) and Hudi's fixed-size decimal hold no more);
 *   <li>a TIME_MICROS value lies within a day, 0 to 24:00:00 inclusive (Avro time-micros counts microseconds after
 *       midnight; PostgreSQL's {@code time} allows 24:00:00). DATE and TIMESTAMP values have no further limit: Avro's
 *       date (int days) and timestamp (long microseconds) types, Parquet and Spark store every value of their
 *       physical type.
 * </ul>
 *
 * <p>Performance: runs on every change. The per-table columns, kinds, nullability, decimal sizes and key flags are
 * computed once per table and kept in arrays; the table of the previous change is remembered by identity (sources
 * reuse one {@link TableId} instance per table). On a valid change nothing is allocated; reasons are built only for
 * violations.
 *
 * <p>Not thread-safe (one instance per operator subtask); serializable (only the schemas travel, plans are rebuilt).
 */
public final class ChangeChecker implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Microseconds in a day: the largest TIME_MICROS value (PostgreSQL's {@code 24:00:00}). */
  static final long MICROS_PER_DAY = 86_400_000_000L;

  private final List<TableSchema> tables;

  private transient Map<TableId, TablePlan> plans;
  private transient TableId lastId;
  private transient TablePlan lastPlan;

  /**
   * @param tables the pipeline's tables (from discovery); changes of other tables fail the check
   */
  public ChangeChecker(List<TableSchema> tables) {
    this.tables = List.copyOf(tables);
  }

  /**
   * Checks one change.
   *
   * @return null when every sink can write the change; else the violations found, at least one, in column order
   *     (after-image first)
   */
  public List<Violation> check(ChangeEvent e) {
    TablePlan plan = plan(e.tableId());
    if (plan == null) {
      List<Violation> out = new ArrayList<>(1);
      out.add(new Violation(null, null, "table " + e.tableId() + " is not among the pipeline's tables"));
      return out;
    }
    List<Violation> out = null;
    Map<String, Object> after = e.after();
    Map<String, Object> before = e.before();
    if (after != null) {
      out = plan.check(after, "after", true, false, out);
    }
    if (before != null) {
      out = plan.check(before, "before", false, e.op() == Op.DELETE, out);
    }
    return out;
  }

  /**
   * The primary key of a change as text, {@code {id=7, region=eu}}, from {@link ChangeEvent#keyImage()}; a key value
   * the source could not convert shows as its raw text. {@code {}} when the table has no primary key. Only key
   * values appear, never other columns.
   */
  public String keyText(ChangeEvent e) {
    TablePlan plan = plan(e.tableId());
    Map<String, Object> image = e.keyImage();
    StringBuilder sb = new StringBuilder("{");
    if (plan != null) {
      for (int k = 0; k < plan.keyColumns.length; k++) {
        String name = plan.keyColumns[k];
        Object v = image == null ? null : image.get(name);
        if (v instanceof InvalidValue) {
          v = ((InvalidValue) v).raw();
        }
        sb.append(k == 0 ? "" : ", ").append(name).append('=').append(v);
      }
    }
    return sb.append('}').toString();
  }

  /** The table's schema, or null when it is not among the pipeline's tables. */
  public TableSchema table(TableId id) {
    TablePlan plan = plan(id);
    return plan == null ? null : plan.schema;
  }

  private TablePlan plan(TableId id) {
    if (id == lastId) {
      return lastPlan;
    }
    if (plans == null) {
      plans = new HashMap<>();
      for (TableSchema t : tables) {
        plans.put(t.tableId(), new TablePlan(t));
      }
    }
    TablePlan plan = plans.get(id);
    lastId = id;
    lastPlan = plan;
    return plan;
  }

  /** One table's columns in arrays, in column order. */
  private static final class TablePlan {
    final TableSchema schema;
    final int size;
    final String[] names;
    final ColumnKind[] kinds;
    final boolean[] nullable;
    final boolean[] key;
    final int[] precision;
    final int[] scale;
    final String[] sourceTypes;
    final String[] keyColumns;

    TablePlan(TableSchema schema) {
      this.schema = schema;
      List<Column> columns = schema.columns();
      size = columns.size();
      names = new String[size];
      kinds = new ColumnKind[size];
      nullable = new boolean[size];
      key = new boolean[size];
      precision = new int[size];
      scale = new int[size];
      sourceTypes = new String[size];
      for (int i = 0; i < size; i++) {
        Column c = columns.get(i);
        names[i] = c.name();
        kinds[i] = c.kind();
        nullable[i] = c.nullable();
        key[i] = schema.primaryKey().contains(c.name());
        precision[i] = c.precision();
        scale[i] = c.scale();
        sourceTypes[i] = c.sourceType() == null ? c.kind().name() : c.sourceType();
      }
      keyColumns = schema.primaryKey().toArray(new String[0]);
    }

    /**
     * Checks one image, adding violations to {@code out} (created on the first one).
     *
     * @param strict an after-image: every column present, NOT NULL columns not null, no unknown column
     * @param keysRequired a delete's before-image: primary key columns present and not null
     */
    List<Violation> check(
        Map<String, Object> image, String which, boolean strict, boolean keysRequired, List<Violation> out) {
      int missing = 0;
      for (int i = 0; i < size; i++) {
        Object v = image.get(names[i]);
        if (v == null) {
          boolean absent = !image.containsKey(names[i]);
          if (absent) {
            missing++;
          }
          if (strict && (absent || !nullable[i])) {
            out = add(out, which, i, absent
                ? "the column is missing from the row image (a column dropped or renamed since the pipeline "
                    + "started, or a source that does not send it)"
                : "null in a NOT NULL column (" + sourceTypes[i] + "): the source sent no value; a value the "
                    + "source connector could not convert arrives like this");
          } else if (keysRequired && key[i]) {
            out = add(out, which, i, "the primary key column is " + (absent ? "missing" : "null")
                + " in the before-image of a delete, so no sink can find the row to delete");
          }
          continue;
        }
        String problem = problem(i, v);
        if (problem != null) {
          out = add(out, which, i, problem);
        }
      }
      if (strict && image.size() != size - missing) {
        for (String name : image.keySet()) {
          if (indexOf(name) < 0) {
            if (out == null) {
              out = new ArrayList<>(2);
            }
            out.add(new Violation(which, name, "the row image has a column the table did not have when the "
                + "pipeline started (a schema change); no sink has a place for it"));
          }
        }
      }
      return out;
    }

    private int indexOf(String name) {
      for (int i = 0; i < size; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      return -1;
    }

    private List<Violation> add(List<Violation> out, String which, int i, String reason) {
      if (out == null) {
        out = new ArrayList<>(2);
      }
      out.add(new Violation(which, names[i], reason));
      return out;
    }

    /** Null when {@code v} (not null) suits column {@code i}; else why not, without the value. */
    String problem(int i, Object v) {
      if (v instanceof InvalidValue) {
        return ((InvalidValue) v).reason();
      }
      switch (kinds[i]) {
        case BOOLEAN:
          if (v instanceof Boolean) {
            return null;
          }
          break;
        case INT32:
        case DATE:
          if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return null;
          }
          break;
        case INT64:
        case TIMESTAMP_MICROS:
        case TIMESTAMP_TZ_MICROS:
          if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return null;
          }
          break;
        case TIME_MICROS:
          if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long t = ((Number) v).longValue();
            return t >= 0 && t <= MICROS_PER_DAY
                ? null
                : "a TIME_MICROS column (" + sourceTypes[i] + ") holds a time of day, 00:00 to 24:00; the value is "
                    + (t < 0 ? "negative" : "beyond 24:00") + " (Avro time-micros counts microseconds after midnight)";
          }
          break;
        case FLOAT32:
          if (v instanceof Float) {
            return null;
          }
          break;
        case FLOAT64:
          if (v instanceof Double || v instanceof Float) {
            return null;
          }
          break;
        case DECIMAL:
          return decimalProblem(i, v);
        case STRING:
        case JSON:
          if (v instanceof CharSequence) {
            return null;
          }
          break;
        case UUID:
          if (v instanceof CharSequence || v instanceof java.util.UUID) {
            return null;
          }
          break;
        case BYTES:
          if (v instanceof byte[] || v instanceof ByteBuffer) {
            return null;
          }
          break;
        default:
          break;
      }
      return wrongClass(i, v);
    }

    private String decimalProblem(int i, Object v) {
      BigDecimal d;
      if (v instanceof BigDecimal) {
        d = (BigDecimal) v;
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
        d = BigDecimal.valueOf(((Number) v).longValue());
      } else if (v instanceof BigInteger) {
        d = new BigDecimal((BigInteger) v);
      } else if ((v instanceof Double && (((Double) v).isNaN() || ((Double) v).isInfinite()))
          || (v instanceof Float && (((Float) v).isNaN() || ((Float) v).isInfinite()))) {
        double x = ((Number) v).doubleValue();
        return (Double.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity") + " is not a decimal number: a "
            + sourceTypes[i] + " column maps to Avro decimal(" + precision[i] + "," + scale[i]
            + "), which (like Hudi's and Spark's decimal) cannot hold NaN or Infinity";
      } else {
        return wrongClass(i, v);
      }
      int s = scale[i];
      if (d.scale() != s) {
        try {
          d = d.setScale(s, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
          return "the value has more than " + s + " digits after the point, so " + sourceTypes[i]
              + " (Avro decimal(" + precision[i] + "," + s + ")) cannot hold it without rounding";
        }
      }
      if (d.precision() > precision[i]) {
        return "the value needs " + d.precision() + " digits, but " + sourceTypes[i] + " (Avro decimal("
            + precision[i] + "," + s + ")) holds at most " + precision[i];
      }
      return null;
    }

    private String wrongClass(int i, Object v) {
      return "a " + kinds[i] + " column (" + sourceTypes[i] + ") takes " + expected(kinds[i])
          + ", but the source gave a " + v.getClass().getName();
    }

    private static String expected(ColumnKind kind) {
      switch (kind) {
        case BOOLEAN:
          return "a Boolean";
        case INT32:
          return "an Integer";
        case DATE:
          return "an Integer (days since 1970-01-01)";
        case INT64:
          return "a Long";
        case TIME_MICROS:
          return "a Long (microseconds since midnight)";
        case TIMESTAMP_MICROS:
        case TIMESTAMP_TZ_MICROS:
          return "a Long (microseconds since 1970-01-01T00:00)";
        case FLOAT32:
          return "a Float";
        case FLOAT64:
          return "a Double";
        case DECIMAL:
          return "a BigDecimal";
        case BYTES:
          return "a byte[]";
        default:
          return "a String";
      }
    }
  }
}
