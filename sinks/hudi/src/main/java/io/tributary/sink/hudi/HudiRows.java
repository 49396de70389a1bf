package io.tributary.sink.hudi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.Op;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroRecords;
import io.tributary.schema.avro.AvroSchemas;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The shape of a Hudi row written by the sink, and the conversion of a change event into one.
 *
 * <p>A row holds the table's columns in column order, with the field names, nullability and values of the Kafka
 * row schema ({@link AvroSchemas#rowSchema}, values converted by {@link AvroRecords#toAvroValue}), followed by three
 * metadata columns:
 *
 * <ul>
 *   <li>{@value #OP_FIELD} (string): the event's op code, {@code c}, {@code u}, {@code r}, or {@code d} for a delete
 *       record (which Hudi drops, see below, so readers only ever see c, u or r);
 *   <li>{@value #TS_MS_FIELD} (long): when the connector processed the change, ms since the epoch ({@link
 *       ChangeEvent#tsMs()});
 *   <li>{@value #ORDERING_FIELD} (long): the source log position ({@link io.tributary.schema.SourceInfo#ordering()},
 *       the LSN for PostgreSQL), Hudi's ordering field: between two versions of a key, the greater one wins.
 * </ul>
 *
 * <p>Two representations differ from the Kafka schema, so that Spark (the reader lakehouse users run) can read the
 * table; values and meaning are the same:
 *
 * <ul>
 *   <li>DECIMAL(p,s) is Avro {@code fixed} with logicalType decimal (the size is the fewest bytes holding p digits),
 *       not {@code bytes}: Parquet then stores FIXED_LEN_BYTE_ARRAY, which Spark's vectorized reader accepts, where
 *       it rejects BINARY decimals of precision <= 18 ("Parquet column cannot be converted ... Found: BINARY"). Hudi's
 *       own Spark writer uses the same representation, named {@code fixed} in namespace {@code
 *       <record namespace>.<record name>.<field>}.
 *   <li>TIME_MICROS is a plain {@code long} (microseconds since midnight), not {@code time-micros}: Spark 3.5 refuses
 *       the Parquet TIME type ("Illegal Parquet type: INT64 (TIME(MICROS,true))"). The type carries {@value
 *       #TIME_MICROS_PROP}{@code =time-micros}.
 * </ul>
 *
 * <p>A delete becomes a full row of the before-image with {@value #OP_FIELD} = {@value #DELETE_MARKER}, Hudi's
 * custom delete marker ({@code hoodie.payload.delete.field} / {@code hoodie.payload.delete.marker}): Hudi removes
 * the key, but only when the delete's ordering is not lower than the stored row's, so a late delete cannot remove a
 * newer row. Before-image columns that are missing (PostgreSQL without {@code REPLICA IDENTITY FULL} sends only the
 * key) or null in a NOT NULL column get their type's zero value; they are never visible.
 *
 * <p>The Avro record is named {@code hoodie.<name>.<name>_record}, the name Hudi's Spark writer derives from the
 * table name, so that Spark users can append to the table without a schema-name conflict.
 */
public final class HudiRows {
  /** Metadata column: op code c/u/r (d marks delete records). */
  public static final String OP_FIELD = "_tributary_op";
  /** Metadata column: connector processing time, ms since the epoch. */
  public static final String TS_MS_FIELD = "_tributary_ts_ms";
  /** Metadata column and Hudi ordering field: the source log position. */
  public static final String ORDERING_FIELD = "_tributary_ordering";
  /** The value of {@link #OP_FIELD} that makes Hudi delete the key. */
  public static final String DELETE_MARKER = "d";

  /** The metadata columns, in the order they follow the table's columns. */
  public static final List<String> METADATA_FIELDS = List.of(OP_FIELD, TS_MS_FIELD, ORDERING_FIELD);

  /** Property on a TIME_MICROS column's Hudi type recording the Avro logical type it stands for. */
  public static final String TIME_MICROS_PROP = "tributary.logicalType";

  private static final Schema NULL = Schema.create(Schema.Type.NULL);

  private HudiRows() {}

  /**
   * The Avro schema of the table's Hudi rows (see the class comment).
   *
   * @param table the source table
   * @param hudiTableName the Hudi table name, for the record name
   * @throws IllegalArgumentException if a column is named like a metadata column, or two columns collide after Avro
   *     name sanitizing
   */
  public static Schema schema(TableSchema table, String hudiTableName) {
    String name = AvroSchemas.avroName(hudiTableName);
    String namespace = "hoodie." + name;
    String recordName = name + "_record";
    List<Schema.Field> fields = new ArrayList<>(table.columns().size() + METADATA_FIELDS.size());
    Set<String> seen = new HashSet<>();
    for (Column c : table.columns()) {
      String fieldName = AvroSchemas.avroName(c.name());
      if (METADATA_FIELDS.contains(fieldName)) {
        throw new IllegalArgumentException(
            "table " + table.tableId() + ": column " + c.name() + " clashes with the Hudi sink's metadata column "
                + fieldName + "; rename the column or leave the table out of the hudi sink");
      }
      if (!seen.add(fieldName)) {
        throw new IllegalArgumentException(
            "table " + table.tableId() + ": two columns map to the Avro field name '" + fieldName
                + "' (Avro names allow only [A-Za-z_][A-Za-z0-9_]*); rename one of them");
      }
      Schema type = type(c, namespace + "." + recordName + "." + fieldName);
      Schema.Field f =
          c.nullable()
              ? new Schema.Field(fieldName, Schema.createUnion(NULL, type), null, JsonProperties.NULL_VALUE)
              : new Schema.Field(fieldName, type, null, null);
      if (!fieldName.equals(c.name())) {
        f.addProp(AvroSchemas.COLUMN_NAME_PROP, c.name());
      }
      fields.add(f);
    }
    fields.add(new Schema.Field(OP_FIELD, Schema.create(Schema.Type.STRING), "Tributary: op code c, u or r", null));
    fields.add(
        new Schema.Field(
            TS_MS_FIELD, Schema.create(Schema.Type.LONG), "Tributary: processing time of the change, ms since epoch",
            null));
    fields.add(
        new Schema.Field(
            ORDERING_FIELD, Schema.create(Schema.Type.LONG), "Tributary: source log position (Hudi ordering field)",
            null));
    return Schema.createRecord(recordName, null, namespace, false, fields);
  }

  /** The non-null Hudi type of a column: the Kafka type, except DECIMAL and TIME_MICROS (see the class comment). */
  static Schema type(Column c, String fixedNamespace) {
    if (c.kind() == ColumnKind.DECIMAL) {
      Schema fixed = Schema.createFixed("fixed", null, fixedNamespace, decimalBytes(c.precision()));
      return LogicalTypes.decimal(c.precision(), c.scale()).addToSchema(fixed);
    }
    if (c.kind() == ColumnKind.TIME_MICROS) {
      Schema plain = Schema.create(Schema.Type.LONG);
      plain.addProp(TIME_MICROS_PROP, "time-micros");
      return plain;
    }
    return AvroSchemas.typeSchema(c);
  }

  /** The fewest bytes whose two's complement holds every unscaled value of {@code precision} digits. */
  static int decimalBytes(int precision) {
    int n = 1;
    while (BigDecimalLimits.maxUnscaled(n).compareTo(BigDecimal.TEN.pow(precision).subtract(BigDecimal.ONE)) < 0) {
      n++;
    }
    return n;
  }

  /**
   * The Hudi row of an event: the after-image for c/u/r, the before-image marked as a delete for d (see the class
   * comment), plus the metadata columns.
   *
   * @param schema the table's Hudi schema from {@link #schema}
   * @param table the source table the schema was made from
   * @throws IllegalArgumentException if a value does not suit its column (wrong class, a decimal that does not fit,
   *     null or missing in a NOT NULL column of an after-image); the message names the table, the column and the
   *     value
   */
  public static GenericRecord row(Schema schema, TableSchema table, ChangeEvent e) {
    boolean delete = e.op() == Op.DELETE;
    Map<String, Object> image = delete ? e.before() : e.after();
    List<Column> columns = table.columns();
    List<Schema.Field> fields = schema.getFields();
    GenericData.Record r = new GenericData.Record(schema);
    for (int i = 0; i < columns.size(); i++) {
      Column c = columns.get(i);
      Object v = image.get(c.name());
      if (v == null) {
        if (c.nullable()) {
          continue;
        }
        if (!delete) {
          throw new IllegalArgumentException(
              "table " + e.tableId() + ", column " + c.name() + ": value is "
                  + (image.containsKey(c.name()) ? "null" : "missing") + " but the column is NOT NULL");
        }
        v = zero(c);
      }
      Object avro;
      try {
        avro = AvroRecords.toAvroValue(c.kind(), c.precision(), c.scale(), v);
      } catch (IllegalArgumentException ex) {
        // AvroRecords names no column when called per value ("column null: ..."): name it here
        String reason = String.valueOf(ex.getMessage()).replace("column null: ", "");
        throw new IllegalArgumentException("table " + e.tableId() + ", column " + c.name() + ": " + reason, ex);
      }
      if (c.kind() == ColumnKind.DECIMAL) {
        avro = fixed(AvroSchemas.nonNullBranch(fields.get(i).schema()), (ByteBuffer) avro);
      }
      r.put(i, avro);
    }
    int n = columns.size();
    r.put(n, delete ? DELETE_MARKER : e.op().code());
    r.put(n + 1, e.tsMs());
    r.put(n + 2, e.source().ordering());
    return r;
  }

  /** A decimal's unscaled two's-complement bytes, sign-extended to the fixed type's size. */
  private static GenericData.Fixed fixed(Schema fixedSchema, ByteBuffer unscaled) {
    int size = fixedSchema.getFixedSize();
    ByteBuffer b = unscaled.duplicate();
    int len = b.remaining();
    if (len > size) {
      throw new IllegalArgumentException("decimal needs " + len + " bytes, the column holds " + size);
    }
    byte[] out = new byte[size];
    byte pad = len > 0 && b.get(b.position()) < 0 ? (byte) 0xFF : 0;
    for (int i = 0; i < size - len; i++) {
      out[i] = pad;
    }
    b.get(out, size - len, len);
    return new GenericData.Fixed(fixedSchema, out);
  }

  /** The zero value of a column's kind, as {@link ColumnKind#zero(int)} gives it. */
  static Object zero(Column c) {
    return c.kind().zero(c.scale());
  }


  /** Two's-complement limits. */
  private static final class BigDecimalLimits {
    /** The largest value n bytes of two's complement hold: 2^(8n-1) - 1. */
    static BigDecimal maxUnscaled(int n) {
      return new BigDecimal(java.math.BigInteger.ONE.shiftLeft(8 * n - 1).subtract(java.math.BigInteger.ONE));
    }
  }
}
