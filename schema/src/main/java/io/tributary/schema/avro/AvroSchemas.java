package io.tributary.schema.avro;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Derives Avro schemas from a {@link TableSchema}: the message key ({@code Key}), the row image ({@code Value}),
 * the Debezium-shaped change envelope ({@code Envelope}) and the {@code source} block ({@code io.tributary.Source}).
 *
 * <p>Column types map as listed on {@link ColumnKind}; a nullable column becomes the union {@code ["null", T]} with
 * default {@code null} (Avro specification 1.11, "Unions": the default must match the first branch). The envelope
 * follows Debezium's change event value ("before", "after", "source", "op", "ts_ms"; Debezium connector
 * documentation, "Change event values").
 *
 * <p>Names: Avro names must match {@code [A-Za-z_][A-Za-z0-9_]*} (Avro specification, "Names"). Column names are
 * turned into field names by {@link #avroName(String)}; where that changes a name, the field carries the original
 * column name in the property {@value #COLUMN_NAME_PROP}, which {@link AvroRecords} uses to map images back and
 * forth. Namespaces are sanitized segment by segment with {@link #avroNamespace(String)}.
 *
 * <p>All methods are stateless and thread-safe. Derived schemas are new objects; callers should cache them per
 * table (schema identity makes {@link AvroRecords}' per-schema caches cheap).
 */
public final class AvroSchemas {

  /** Name of the key record ({@code <namespace>.Key}). */
  public static final String KEY_RECORD = "Key";
  /** Name of the row record ({@code <namespace>.Value}). */
  public static final String VALUE_RECORD = "Value";
  /** Name of the envelope record ({@code <namespace>.Envelope}). */
  public static final String ENVELOPE_RECORD = "Envelope";
  /** Namespace of the {@code Source} record, shared by all tables. */
  public static final String SOURCE_NAMESPACE = "io.tributary";
  /** Name of the source block record ({@code io.tributary.Source}). */
  public static final String SOURCE_RECORD = "Source";
  /** Field property holding the source column name when it differs from the Avro field name. */
  public static final String COLUMN_NAME_PROP = "tributary.column";
  /** Property Debezium/Kafka Connect use to name a semantic type; set to {@value #JSON_CONNECT_NAME} for JSON. */
  public static final String CONNECT_NAME_PROP = "connect.name";
  /** The Kafka Connect semantic type name Debezium gives JSON columns. */
  public static final String JSON_CONNECT_NAME = "io.debezium.data.Json";

  /** Envelope field names (Debezium envelope). */
  public static final String BEFORE = "before";
  /** Envelope field: the row after the change. */
  public static final String AFTER = "after";
  /** Envelope field: the source block. */
  public static final String SOURCE = "source";
  /** Envelope field: the op code c/u/d/r. */
  public static final String OP = "op";
  /** Envelope field: processing time, ms since the epoch. */
  public static final String TS_MS = "ts_ms";

  private static final Schema NULL = Schema.create(Schema.Type.NULL);
  private static final Schema SOURCE_SCHEMA = buildSourceSchema();

  private AvroSchemas() {}

  /**
   * The message key schema: record {@code <namespace>.Key} of the primary key columns in key order, every field
   * non-null (a primary key column never holds NULL, whatever the column's declared nullability).
   *
   * @param t the table, never null
   * @param namespace Avro namespace, for example {@code tributary.shop.public.orders}; sanitized per segment; null
   *     for none
   * @throws IllegalArgumentException if the table has no primary key (callers send a null key for such tables,
   *     as Debezium does), or two key columns collide after sanitizing
   */
  public static Schema keySchema(TableSchema t, String namespace) {
    if (t.primaryKey().isEmpty()) {
      throw new IllegalArgumentException(
          "table " + t.tableId() + " has no primary key, so it has no key schema; send a null message key instead");
    }
    List<Column> cols = t.primaryKeyColumns();
    return record(t.tableId(), KEY_RECORD, namespace, cols, true);
  }

  /**
   * The row schema: record {@code <namespace>.Value} of all columns in column order; a nullable column is the
   * union {@code ["null", T]} with default null.
   *
   * @param t the table, never null
   * @param namespace Avro namespace (sanitized per segment), null for none
   * @throws IllegalArgumentException if two columns collide after sanitizing their names
   */
  public static Schema rowSchema(TableSchema t, String namespace) {
    return record(t.tableId(), VALUE_RECORD, namespace, t.columns(), false);
  }

  /**
   * The change envelope schema, shaped like Debezium's change event value: record {@code <namespace>.Envelope}
   * with fields {@code before} (["null", Value], default null), {@code after} (["null", Value], default null),
   * {@code source} ({@link #sourceSchema()}), {@code op} (string: c, u, d or r) and {@code ts_ms} (long, ms since
   * the epoch, when Tributary processed the change).
   *
   * @param t the table, never null
   * @param namespace Avro namespace (sanitized per segment), null for none
   * @throws IllegalArgumentException if two columns collide after sanitizing their names
   */
  public static Schema envelopeSchema(TableSchema t, String namespace) {
    Schema value = rowSchema(t, namespace);
    Schema nullableValue = Schema.createUnion(NULL, value);
    List<Schema.Field> fields = new ArrayList<>(5);
    fields.add(new Schema.Field(BEFORE, nullableValue, null, JsonProperties.NULL_VALUE));
    fields.add(new Schema.Field(AFTER, nullableValue, null, JsonProperties.NULL_VALUE));
    fields.add(new Schema.Field(SOURCE, SOURCE_SCHEMA, null, null));
    fields.add(new Schema.Field(OP, Schema.create(Schema.Type.STRING), null, null));
    fields.add(new Schema.Field(TS_MS, Schema.create(Schema.Type.LONG), null, null));
    return Schema.createRecord(ENVELOPE_RECORD, null, avroNamespace(namespace), false, fields);
  }

  /**
   * The {@code source} block schema, record {@code io.tributary.Source}, with the fields of {@link
   * io.tributary.schema.SourceInfo} in this order: {@code connector} (string), {@code name} (nullable string),
   * {@code db} (string), {@code schema} (nullable string), {@code table} (string), {@code ts_ms} (long, commit
   * time in ms since the epoch), {@code snapshot} (boolean), {@code lsn} and {@code txId} (nullable long,
   * PostgreSQL), {@code file} (nullable string), {@code pos} (nullable long, bytes), {@code server_id} (nullable
   * long), {@code gtid} (nullable string, MySQL), {@code ordering} (long). Nullable fields default to null.
   *
   * @return a shared instance; do not add properties to it
   */
  public static Schema sourceSchema() {
    return SOURCE_SCHEMA;
  }

  /**
   * The schema of the field for a column: {@link #typeSchema(Column)}, wrapped in {@code ["null", T]} when the
   * column is nullable.
   *
   * @throws NullPointerException if {@code c} is null
   */
  public static Schema fieldSchema(Column c) {
    Schema type = typeSchema(c);
    return c.nullable() ? Schema.createUnion(NULL, type) : type;
  }

  /**
   * The non-null Avro type of a column, per the table on {@link ColumnKind}: DECIMAL is {@code bytes} with
   * logicalType {@code decimal} (precision, scale of the column); UUID is {@code string} with logicalType {@code
   * uuid}; JSON is {@code string} with {@code connect.name=io.debezium.data.Json}; DATE is {@code int} {@code
   * date}; TIME_MICROS is {@code long} {@code time-micros}; TIMESTAMP_MICROS is {@code long} {@code
   * local-timestamp-micros}; TIMESTAMP_TZ_MICROS is {@code long} {@code timestamp-micros} (Avro specification
   * 1.11, "Logical Types").
   *
   * @throws NullPointerException if {@code c} is null
   */
  public static Schema typeSchema(Column c) {
    switch (c.kind()) {
      case BOOLEAN:
        return Schema.create(Schema.Type.BOOLEAN);
      case INT32:
        return Schema.create(Schema.Type.INT);
      case INT64:
        return Schema.create(Schema.Type.LONG);
      case FLOAT32:
        return Schema.create(Schema.Type.FLOAT);
      case FLOAT64:
        return Schema.create(Schema.Type.DOUBLE);
      case DECIMAL:
        return logical(LogicalTypes.decimal(c.precision(), c.scale()), Schema.Type.BYTES);
      case STRING:
        return Schema.create(Schema.Type.STRING);
      case UUID:
        return logical(LogicalTypes.uuid(), Schema.Type.STRING);
      case JSON: {
        Schema s = Schema.create(Schema.Type.STRING);
        s.addProp(CONNECT_NAME_PROP, JSON_CONNECT_NAME);
        return s;
      }
      case BYTES:
        return Schema.create(Schema.Type.BYTES);
      case DATE:
        return logical(LogicalTypes.date(), Schema.Type.INT);
      case TIME_MICROS:
        return logical(LogicalTypes.timeMicros(), Schema.Type.LONG);
      case TIMESTAMP_MICROS:
        return logical(LogicalTypes.localTimestampMicros(), Schema.Type.LONG);
      case TIMESTAMP_TZ_MICROS:
        return logical(LogicalTypes.timestampMicros(), Schema.Type.LONG);
      default:
        throw new IllegalArgumentException("column " + c.name() + ": unsupported kind " + c.kind());
    }
  }

  /**
   * The {@link ColumnKind} an Avro type stands for: the reverse of {@link #typeSchema(Column)}. A union {@code
   * ["null", T]} (in either order) gives the kind of T.
   *
   * @throws IllegalArgumentException if the type is not one {@link #typeSchema(Column)} produces (for example a
   *     record, an enum or a timestamp-millis long)
   */
  public static ColumnKind kindOf(Schema type) {
    Schema s = nonNullBranch(type);
    LogicalType lt = s.getLogicalType();
    String logical = lt == null ? null : lt.getName();
    switch (s.getType()) {
      case BOOLEAN:
        return ColumnKind.BOOLEAN;
      case INT:
        if (logical == null) {
          return ColumnKind.INT32;
        }
        if ("date".equals(logical)) {
          return ColumnKind.DATE;
        }
        break;
      case LONG:
        if (logical == null) {
          return ColumnKind.INT64;
        }
        switch (logical) {
          case "time-micros":
            return ColumnKind.TIME_MICROS;
          case "local-timestamp-micros":
            return ColumnKind.TIMESTAMP_MICROS;
          case "timestamp-micros":
            return ColumnKind.TIMESTAMP_TZ_MICROS;
          default:
            break;
        }
        break;
      case FLOAT:
        return ColumnKind.FLOAT32;
      case DOUBLE:
        return ColumnKind.FLOAT64;
      case BYTES:
        if (logical == null) {
          return ColumnKind.BYTES;
        }
        if ("decimal".equals(logical)) {
          return ColumnKind.DECIMAL;
        }
        break;
      case STRING:
        if ("uuid".equals(logical)) {
          return ColumnKind.UUID;
        }
        if (JSON_CONNECT_NAME.equals(s.getProp(CONNECT_NAME_PROP))) {
          return ColumnKind.JSON;
        }
        return ColumnKind.STRING;
      default:
        break;
    }
    throw new IllegalArgumentException(
        "Avro type " + s + " does not map to a column kind; expected one of the types listed on ColumnKind");
  }

  /** Whether the schema is a union with a {@code null} branch. */
  public static boolean isNullable(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s.getType() == Schema.Type.NULL;
    }
    for (Schema b : s.getTypes()) {
      if (b.getType() == Schema.Type.NULL) {
        return true;
      }
    }
    return false;
  }

  /**
   * The non-null branch of a two-branch union with null, or the schema itself when it is not a union.
   *
   * @throws IllegalArgumentException for other unions
   */
  public static Schema nonNullBranch(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    List<Schema> branches = s.getTypes();
    if (branches.size() == 2) {
      if (branches.get(0).getType() == Schema.Type.NULL) {
        return branches.get(1);
      }
      if (branches.get(1).getType() == Schema.Type.NULL) {
        return branches.get(0);
      }
    }
    throw new IllegalArgumentException("union " + s + " is not [\"null\", T]");
  }

  /**
   * The source column name a field stands for: its {@value #COLUMN_NAME_PROP} property, or the field name.
   *
   * @throws NullPointerException if {@code f} is null
   */
  public static String columnName(Schema.Field f) {
    String original = f.getProp(COLUMN_NAME_PROP);
    return original != null ? original : f.name();
  }

  /**
   * Turns any string into a valid Avro name ({@code [A-Za-z_][A-Za-z0-9_]*}, Avro specification "Names"): every
   * other character becomes {@code _}, a leading digit gets a {@code _} prefix, and the empty string becomes
   * {@code _}. Valid names are returned unchanged.
   *
   * @throws NullPointerException if {@code name} is null
   */
  public static String avroName(String name) {
    int n = name.length();
    if (n > 0 && isValidName(name)) {
      return name;
    }
    StringBuilder sb = new StringBuilder(n + 1);
    if (n == 0 || (name.charAt(0) >= '0' && name.charAt(0) <= '9')) {
      sb.append('_');
    }
    for (int i = 0; i < n; i++) {
      char ch = name.charAt(i);
      sb.append(isNameChar(ch) ? ch : '_');
    }
    return sb.toString();
  }

  /**
   * Sanitizes a dotted namespace segment by segment with {@link #avroName(String)} (an empty segment becomes
   * {@code _}).
   *
   * @param namespace a dotted name such as {@code tributary.shop.public.orders}; null or empty for none
   * @return the sanitized namespace, or null for none
   */
  public static String avroNamespace(String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      return null;
    }
    String[] parts = namespace.split("\\.", -1);
    StringBuilder sb = new StringBuilder(namespace.length() + 4);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(avroName(parts[i]));
    }
    return sb.toString();
  }

  /**
   * The conventional namespace of a table's schemas: {@code <prefix>.<database>.<schema>.<table>} (the schema
   * part left out when the table has none), sanitized with {@link #avroNamespace(String)}.
   *
   * @param prefix first segment(s), for example {@code tributary}; null or empty for none
   * @throws NullPointerException if {@code id} is null
   */
  public static String namespace(String prefix, TableId id) {
    StringBuilder sb = new StringBuilder();
    if (prefix != null && !prefix.isEmpty()) {
      sb.append(prefix).append('.');
    }
    sb.append(avroName(id.database())).append('.');
    if (id.schema() != null) {
      sb.append(avroName(id.schema())).append('.');
    }
    sb.append(avroName(id.table()));
    return avroNamespace(sb.toString());
  }

  private static boolean isValidName(String s) {
    char first = s.charAt(0);
    if (!(first == '_' || (first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char ch) {
    return ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
  }

  private static Schema logical(LogicalType lt, Schema.Type physical) {
    return lt.addToSchema(Schema.create(physical));
  }

  private static Schema record(TableId table, String name, String namespace, List<Column> cols, boolean key) {
    List<Schema.Field> fields = new ArrayList<>(cols.size());
    Map<String, String> seen = new HashMap<>();
    for (Column c : cols) {
      String fieldName = avroName(c.name());
      String clash = seen.putIfAbsent(fieldName, c.name());
      if (clash != null) {
        throw new IllegalArgumentException(
            "table " + table + ": columns '" + clash + "' and '" + c.name() + "' both map to the Avro field name '"
                + fieldName + "' (Avro names allow only [A-Za-z_][A-Za-z0-9_]*); rename one of them");
      }
      Schema.Field f;
      if (!key && c.nullable()) {
        f = new Schema.Field(fieldName, Schema.createUnion(NULL, typeSchema(c)), null, JsonProperties.NULL_VALUE);
      } else {
        f = new Schema.Field(fieldName, typeSchema(c), null, null);
      }
      if (!fieldName.equals(c.name())) {
        f.addProp(COLUMN_NAME_PROP, c.name());
      }
      fields.add(f);
    }
    return Schema.createRecord(name, null, avroNamespace(namespace), false, fields);
  }

  private static Schema buildSourceSchema() {
    Schema str = Schema.create(Schema.Type.STRING);
    Schema lng = Schema.create(Schema.Type.LONG);
    Schema optStr = Schema.createUnion(NULL, Schema.create(Schema.Type.STRING));
    Schema optLong = Schema.createUnion(NULL, Schema.create(Schema.Type.LONG));
    Object nul = JsonProperties.NULL_VALUE;
    List<Schema.Field> f = new ArrayList<>();
    f.add(new Schema.Field("connector", str, null, null));
    f.add(new Schema.Field("name", optStr, null, nul));
    f.add(new Schema.Field("db", str, null, null));
    f.add(new Schema.Field("schema", optStr, null, nul));
    f.add(new Schema.Field("table", str, null, null));
    f.add(new Schema.Field("ts_ms", lng, null, null));
    f.add(new Schema.Field("snapshot", Schema.create(Schema.Type.BOOLEAN), null, null));
    f.add(new Schema.Field("lsn", optLong, null, nul));
    f.add(new Schema.Field("txId", optLong, null, nul));
    f.add(new Schema.Field("file", optStr, null, nul));
    f.add(new Schema.Field("pos", optLong, null, nul));
    f.add(new Schema.Field("server_id", optLong, null, nul));
    f.add(new Schema.Field("gtid", optStr, null, nul));
    f.add(new Schema.Field("ordering", lng, null, null));
    return Schema.createRecord(SOURCE_RECORD, null, SOURCE_NAMESPACE, false, f);
  }
}
