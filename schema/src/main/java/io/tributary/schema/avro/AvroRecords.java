package io.tributary.schema.avro;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.Op;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Converts {@link ChangeEvent}s and row images to Avro {@link GenericRecord}s of the schemas made by {@link
 * AvroSchemas}, and back.
 *
 * <p>Values are the physical Avro values (no Avro logical-type conversions are needed to write them): the Java
 * classes listed on {@link ColumnKind} pass through, except DECIMAL ({@link BigDecimal} becomes a {@link ByteBuffer}
 * of the two's-complement big-endian unscaled value at the column's scale, Avro specification 1.11 "Decimal") and
 * BYTES ({@code byte[]} becomes a {@link ByteBuffer} wrapping it, without copying). Widening is accepted where it
 * loses nothing (Short/Byte for INT32, Integer for INT64 and time kinds, Float for FLOAT64, BigInteger/Long/Integer
 * for DECIMAL, {@link java.util.UUID} for UUID).
 *
 * <p>Performance: each schema's field positions, kinds and decimal scales are computed once and cached per thread,
 * keyed by the schema instance (callers keep their schemas for a job's lifetime); per record the converter allocates
 * only the record, its value array and the converted values. Thread-safe. (An equality-keyed shared cache compared
 * whole schemas field by field whenever two subtasks with equal but distinct schema instances alternated: 14% of the
 * source thread's CPU in the snapshot benchmark.)
 */
public final class AvroRecords {

  /** Plans per schema instance, per thread; cleared when it grows past {@link #MAX_PLANS} (schemas built per call). */
  private static final ThreadLocal<IdentityHashMap<Schema, Object>> PLANS = ThreadLocal.withInitial(IdentityHashMap::new);
  private static final int MAX_PLANS = 1024;


  private AvroRecords() {}

  /**
   * The message key of an event: a record of {@code keySchema} (from {@link AvroSchemas#keySchema}) filled from
   * {@link ChangeEvent#keyImage()}.
   *
   * @throws IllegalArgumentException if a key column is missing or null in the image, or a value has the wrong
   *     class or does not fit its decimal column; the message names the table, the column and the value
   * @throws NullPointerException if an argument is null
   */
  public static GenericRecord key(Schema keySchema, ChangeEvent e) {
    RecordPlan plan = rowPlan(keySchema);
    return plan.toRecord(e.keyImage(), e.tableId(), false);
  }

  /**
   * A row record of {@code rowSchema} (from {@link AvroSchemas#rowSchema}) filled from an image (column name to
   * value, values as on {@link ColumnKind}). A column missing from the image is null.
   *
   * @throws IllegalArgumentException if a non-null column is null or missing, a value has the wrong class, or a
   *     decimal does not fit its column's precision and scale (the message names the record's namespace, which
   *     holds the table, the column and the value)
   * @throws NullPointerException if an argument is null
   */
  public static GenericRecord row(Schema rowSchema, Map<String, Object> image) {
    RecordPlan plan = rowPlan(rowSchema);
    return plan.toRecord(image, null, false);
  }

  /**
   * The Debezium-shaped envelope record of {@code envelopeSchema} (from {@link AvroSchemas#envelopeSchema}): {@code
   * before}, {@code after} (null where the event has no image), {@code source}, {@code op} (c/u/d/r) and {@code
   * ts_ms}.
   *
   * <p>A before-image may lack non-key columns (PostgreSQL with {@code REPLICA IDENTITY DEFAULT} sends only the key
   * of a deleted row): in {@code before}, a NOT NULL column that is missing or null gets its type's zero value (0,
   * false, "", empty bytes, 0 at the column's scale, the nil UUID), as Debezium does for required fields. The
   * {@code after} image is strict.
   *
   * @throws IllegalArgumentException as {@link #row}, naming the table of the event
   * @throws NullPointerException if an argument is null
   */
  public static GenericRecord envelope(Schema envelopeSchema, ChangeEvent e) {
    EnvelopePlan plan = envelopePlan(envelopeSchema);
    GenericData.Record r = new GenericData.Record(envelopeSchema);
    Map<String, Object> before = e.before();
    Map<String, Object> after = e.after();
    r.put(plan.before, before == null ? null : plan.value.toRecord(before, e.tableId(), true));
    r.put(plan.after, after == null ? null : plan.value.toRecord(after, e.tableId(), false));
    r.put(plan.source, plan.standardSource ? source(e.source()) : sourceByName(plan.sourceSchema, e.source()));
    r.put(plan.op, e.op().code());
    r.put(plan.tsMs, e.tsMs());
    return r;
  }

  /**
   * The {@code source} block record of {@link AvroSchemas#sourceSchema()} for a source info.
   *
   * @throws NullPointerException if {@code s} is null
   */
  public static GenericRecord source(SourceInfo s) {
    GenericData.Record r = new GenericData.Record(AvroSchemas.sourceSchema());
    r.put(0, s.connector());
    r.put(1, s.name());
    r.put(2, s.database());
    r.put(3, s.schema());
    r.put(4, s.table());
    r.put(5, s.tsMs());
    r.put(6, s.snapshot());
    r.put(7, s.lsn());
    r.put(8, s.txId());
    r.put(9, s.binlogFile());
    r.put(10, s.binlogPos());
    r.put(11, s.serverId());
    r.put(12, s.gtid());
    r.put(13, s.ordering());
    return r;
  }

  /**
   * The image of a row (or key) record, as a {@link ChangeEvent} holds it: source column name to value, in field
   * order, with the Java classes listed on {@link ColumnKind} ({@link BigDecimal} at the column's scale for
   * decimals, {@code byte[]} for bytes, {@link String} for strings; {@link org.apache.avro.util.Utf8} and {@link
   * ByteBuffer} as produced by Avro's readers are converted). The record is not changed.
   *
   * @return a new mutable map; null values for null fields
   * @throws IllegalArgumentException if the record's schema has a field type that no {@link ColumnKind} maps to
   * @throws NullPointerException if {@code row} is null
   */
  public static Map<String, Object> toImage(GenericRecord row) {
    RecordPlan plan = rowPlan(row.getSchema());
    Map<String, Object> out = new LinkedHashMap<>(plan.size * 2);
    for (int i = 0; i < plan.size; i++) {
      out.put(plan.columns[i], fromAvro(plan, i, row.get(i)));
    }
    return out;
  }

  /**
   * The source info held by a {@code source} block record (see {@link AvroSchemas#sourceSchema()}); fields the
   * record lacks stay unset.
   *
   * @throws NullPointerException if a required field (connector, db, table) is null
   */
  public static SourceInfo toSource(GenericRecord source) {
    SourceInfo.Builder b = SourceInfo.builder();
    b.connector(str(field(source, "connector")));
    b.name(str(field(source, "name")));
    b.table(new TableId(str(field(source, "db")), str(field(source, "schema")), str(field(source, "table"))));
    Object ts = field(source, "ts_ms");
    b.tsMs(ts == null ? 0L : (Long) ts);
    b.snapshot(Boolean.TRUE.equals(field(source, "snapshot")));
    b.lsn((Long) field(source, "lsn"));
    b.txId((Long) field(source, "txId"));
    b.binlogFile(str(field(source, "file")));
    b.binlogPos((Long) field(source, "pos"));
    b.serverId((Long) field(source, "server_id"));
    b.gtid(str(field(source, "gtid")));
    Object ordering = field(source, "ordering");
    b.ordering(ordering == null ? 0L : (Long) ordering);
    return b.build();
  }

  /**
   * The change event an envelope record holds (the reverse of {@link #envelope}); the table id comes from the
   * source block.
   *
   * @throws IllegalArgumentException if {@code op} is not c/u/d/r or the images do not suit the op
   * @throws NullPointerException if a required field is null (for example {@code after} of an insert)
   */
  public static ChangeEvent toChangeEvent(GenericRecord envelope) {
    SourceInfo source = toSource((GenericRecord) envelope.get(AvroSchemas.SOURCE));
    TableId table = new TableId(source.database(), source.schema(), source.table());
    Object b = envelope.get(AvroSchemas.BEFORE);
    Object a = envelope.get(AvroSchemas.AFTER);
    Map<String, Object> before = b == null ? null : toImage((GenericRecord) b);
    Map<String, Object> after = a == null ? null : toImage((GenericRecord) a);
    long tsMs = (Long) envelope.get(AvroSchemas.TS_MS);
    Op op = Op.fromCode(str(envelope.get(AvroSchemas.OP)));
    switch (op) {
      case READ:
        return ChangeEvent.read(table, after, source, tsMs);
      case CREATE:
        return ChangeEvent.insert(table, after, source, tsMs);
      case UPDATE:
        return ChangeEvent.update(table, before, after, source, tsMs);
      case DELETE:
        return ChangeEvent.delete(table, before, source, tsMs);
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  /**
   * Converts one column value to its physical Avro value (see the class comment).
   *
   * @param kind the column's kind
   * @param scale the column's decimal scale (ignored for other kinds)
   * @param precision the column's decimal precision (ignored for other kinds)
   * @param value the value, not null
   * @return the Avro value
   * @throws IllegalArgumentException if the value's class does not suit the kind, or a decimal does not fit
   */
  public static Object toAvroValue(ColumnKind kind, int precision, int scale, Object value) {
    return toAvro(kind, precision, scale, value, null, null, null);
  }

  // ---------------------------------------------------------------------------------------------------------

  private static Object field(GenericRecord r, String name) {
    return r.hasField(name) ? r.get(name) : null;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  private static GenericRecord sourceByName(Schema sourceSchema, SourceInfo s) {
    GenericRecord std = source(s);
    GenericData.Record r = new GenericData.Record(sourceSchema);
    for (Schema.Field f : sourceSchema.getFields()) {
      Schema.Field mine = AvroSchemas.sourceSchema().getField(f.name());
      if (mine != null) {
        r.put(f.pos(), std.get(mine.pos()));
      } else if (f.hasDefaultValue()) {
        r.put(f.pos(), GenericData.get().getDefaultValue(f));
      }
    }
    return r;
  }

  static RecordPlan rowPlan(Schema schema) {
    IdentityHashMap<Schema, Object> plans = PLANS.get();
    Object p = plans.get(schema);
    if (!(p instanceof RecordPlan)) {
      p = new RecordPlan(schema);
      remember(plans, schema, p);
    }
    return (RecordPlan) p;
  }

  private static EnvelopePlan envelopePlan(Schema schema) {
    IdentityHashMap<Schema, Object> plans = PLANS.get();
    Object p = plans.get(schema);
    if (!(p instanceof EnvelopePlan)) {
      p = new EnvelopePlan(schema);
      remember(plans, schema, p);
    }
    return (EnvelopePlan) p;
  }

  private static void remember(IdentityHashMap<Schema, Object> plans, Schema schema, Object plan) {
    if (plans.size() >= MAX_PLANS) {
      plans.clear();
    }
    plans.put(schema, plan);
  }

  /** Per-schema field layout of a row or key record. */
  static final class RecordPlan {
    final Schema schema;
    final int size;
    final String[] columns;
    final ColumnKind[] kinds;
    final boolean[] nullable;
    final int[] precision;
    final int[] scale;

    RecordPlan(Schema schema) {
      if (schema.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException("expected a record schema, got " + schema);
      }
      this.schema = schema;
      List<Schema.Field> fields = schema.getFields();
      size = fields.size();
      columns = new String[size];
      kinds = new ColumnKind[size];
      nullable = new boolean[size];
      precision = new int[size];
      scale = new int[size];
      for (Schema.Field f : fields) {
        int i = f.pos();
        columns[i] = AvroSchemas.columnName(f);
        try {
          kinds[i] = AvroSchemas.kindOf(f.schema());
        } catch (IllegalArgumentException ex) {
          throw new IllegalArgumentException(
              "record " + schema.getFullName() + ", field " + f.name() + ": " + ex.getMessage(), ex);
        }
        nullable[i] = AvroSchemas.isNullable(f.schema());
        if (kinds[i] == ColumnKind.DECIMAL) {
          LogicalTypes.Decimal d = (LogicalTypes.Decimal) AvroSchemas.nonNullBranch(f.schema()).getLogicalType();
          precision[i] = d.getPrecision();
          scale[i] = d.getScale();
        }
      }
    }

    /**
     * @param table the table for messages, or null to name the record's namespace
     * @param lenient fill NOT NULL columns that are null or missing with zero values (before-images)
     */
    GenericData.Record toRecord(Map<String, Object> image, TableId table, boolean lenient) {
      GenericData.Record r = new GenericData.Record(schema);
      for (int i = 0; i < size; i++) {
        Object v = image.get(columns[i]);
        if (v == null) {
          if (!nullable[i]) {
            if (lenient) {
              r.put(i, zero(i));
              continue;
            }
            throw new IllegalArgumentException(
                where(table) + ", column " + columns[i] + ": value is "
                    + (image.containsKey(columns[i]) ? "null" : "missing") + " but the column is NOT NULL");
          }
          continue;
        }
        r.put(i, toAvro(kinds[i], precision[i], scale[i], v, this, table, columns[i]));
      }
      return r;
    }

    String where(TableId table) {
      return table != null ? "table " + table : "table " + schema.getNamespace() + " (" + schema.getName() + ")";
    }

    private Object zero(int i) {
      return toAvro(kinds[i], precision[i], scale[i], kinds[i].zero(scale[i]), this, null, columns[i]);
    }
  }

  /** Per-schema field positions of an envelope record. */
  private static final class EnvelopePlan {
    final Schema schema;
    final int before;
    final int after;
    final int source;
    final int op;
    final int tsMs;
    final RecordPlan value;
    final Schema sourceSchema;
    final boolean standardSource;

    EnvelopePlan(Schema schema) {
      this.schema = schema;
      before = pos(schema, AvroSchemas.BEFORE);
      after = pos(schema, AvroSchemas.AFTER);
      source = pos(schema, AvroSchemas.SOURCE);
      op = pos(schema, AvroSchemas.OP);
      tsMs = pos(schema, AvroSchemas.TS_MS);
      value = new RecordPlan(AvroSchemas.nonNullBranch(schema.getFields().get(after).schema()));
      sourceSchema = schema.getFields().get(source).schema();
      standardSource = sourceSchema.equals(AvroSchemas.sourceSchema());
    }

    private static int pos(Schema s, String name) {
      Schema.Field f = s.getField(name);
      if (f == null) {
        throw new IllegalArgumentException(
            "schema " + s.getFullName() + " is not an envelope: it has no field '" + name + "'");
      }
      return f.pos();
    }
  }

  private static Object toAvro(
      ColumnKind kind, int precision, int scale, Object v, RecordPlan plan, TableId table, String column) {
    switch (kind) {
      case BOOLEAN:
        if (v instanceof Boolean) {
          return v;
        }
        break;
      case INT32:
      case DATE:
        if (v instanceof Integer) {
          return v;
        }
        if (v instanceof Short || v instanceof Byte) {
          return ((Number) v).intValue();
        }
        break;
      case INT64:
      case TIME_MICROS:
      case TIMESTAMP_MICROS:
      case TIMESTAMP_TZ_MICROS:
        if (v instanceof Long) {
          return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
          return ((Number) v).longValue();
        }
        break;
      case FLOAT32:
        if (v instanceof Float) {
          return v;
        }
        break;
      case FLOAT64:
        if (v instanceof Double) {
          return v;
        }
        if (v instanceof Float) {
          return ((Float) v).doubleValue();
        }
        break;
      case DECIMAL:
        return decimal(precision, scale, v, plan, table, column);
      case STRING:
      case JSON:
        if (v instanceof CharSequence) {
          return v;
        }
        break;
      case UUID:
        if (v instanceof CharSequence) {
          return v;
        }
        if (v instanceof java.util.UUID) {
          return v.toString();
        }
        break;
      case BYTES:
        if (v instanceof byte[]) {
          return ByteBuffer.wrap((byte[]) v);
        }
        if (v instanceof ByteBuffer) {
          return v;
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException(
        where(plan, table) + "column " + column + ": a " + kind + " column takes " + expected(kind) + ", got "
            + v.getClass().getName() + " (" + v + ")");
  }

  private static String where(RecordPlan plan, TableId table) {
    return plan == null ? "" : plan.where(table) + ", ";
  }

  private static String expected(ColumnKind kind) {
    switch (kind) {
      case BOOLEAN:
        return "Boolean";
      case INT32:
        return "Integer";
      case DATE:
        return "Integer (days since 1970-01-01)";
      case INT64:
        return "Long";
      case TIME_MICROS:
        return "Long (microseconds since midnight)";
      case TIMESTAMP_MICROS:
      case TIMESTAMP_TZ_MICROS:
        return "Long (microseconds since 1970-01-01T00:00)";
      case FLOAT32:
        return "Float";
      case FLOAT64:
        return "Double";
      case DECIMAL:
        return "BigDecimal";
      case BYTES:
        return "byte[]";
      default:
        return "String";
    }
  }

  private static ByteBuffer decimal(int precision, int scale, Object v, RecordPlan plan, TableId table, String col) {
    BigDecimal d;
    if (v instanceof BigDecimal) {
      d = (BigDecimal) v;
    } else if (v instanceof BigInteger) {
      d = new BigDecimal((BigInteger) v);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      d = BigDecimal.valueOf(((Number) v).longValue());
    } else {
      throw new IllegalArgumentException(
          where(plan, table) + "column " + col + ": a DECIMAL column takes BigDecimal, got " + v.getClass().getName()
              + " (" + v + ")");
    }
    BigDecimal scaled;
    if (d.scale() == scale) {
      scaled = d;
    } else {
      try {
        scaled = d.setScale(scale, RoundingMode.UNNECESSARY);
      } catch (ArithmeticException ex) {
        throw new IllegalArgumentException(
            where(plan, table) + "column " + col + ": value " + d.toPlainString() + " does not fit decimal("
                + precision + "," + scale + "): it has more than " + scale + " digits after the point",
            ex);
      }
    }
    if (scaled.precision() > precision) {
      throw new IllegalArgumentException(
          where(plan, table) + "column " + col + ": value " + d.toPlainString() + " does not fit decimal(" + precision
              + "," + scale + "): it needs " + scaled.precision() + " digits, at most " + precision + " allowed");
    }
    return ByteBuffer.wrap(scaled.unscaledValue().toByteArray());
  }

  private static Object fromAvro(RecordPlan plan, int i, Object v) {
    if (v == null) {
      return null;
    }
    switch (plan.kinds[i]) {
      case STRING:
      case JSON:
      case UUID:
        return v.toString();
      case DECIMAL:
        if (v instanceof BigDecimal) {
          return ((BigDecimal) v).setScale(plan.scale[i], RoundingMode.UNNECESSARY);
        }
        return new BigDecimal(new BigInteger(bytes((ByteBuffer) v)), plan.scale[i]);
      case BYTES:
        return v instanceof byte[] ? v : bytes((ByteBuffer) v);
      case FLOAT64:
        return v instanceof Float ? ((Float) v).doubleValue() : v;
      default:
        return v;
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    ByteBuffer d = b.duplicate();
    byte[] out = new byte[d.remaining()];
    d.get(out);
    return out;
  }
}
