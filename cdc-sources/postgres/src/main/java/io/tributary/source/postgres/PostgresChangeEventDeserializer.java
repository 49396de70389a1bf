package io.tributary.source.postgres;

import static io.tributary.source.debezium.DebeziumEnvelope.op;
import static io.tributary.source.debezium.DebeziumEnvelope.optional;

import io.tributary.config.SchemaChangeBehavior;
import io.tributary.config.spi.SchemaDrift;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.Op;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableSchema;
import io.tributary.source.debezium.DebeziumValueConversions;
import io.tributary.source.debezium.RecordShapes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Debezium PostgreSQL change records (relocated Kafka Connect {@link SourceRecord}s from Flink CDC) into
 * {@link ChangeEvent}s.
 *
 * <ul>
 *   <li>Ops {@code r}, {@code c}, {@code u}, {@code d} become the matching event; tombstones, heartbeats, schema
 *       change records, truncates ({@code t}) and records of tables that discovery did not return are skipped.
 *   <li>Row images hold exactly the discovered columns, in column order, with values converted to the classes
 *       documented on {@link io.tributary.schema.ColumnKind}; a column missing from a record's image is null.
 *   <li>{@link SourceInfo}: connector {@code postgresql}, name = pipeline name, database/schema/table,
 *       {@code ts_ms} = the source block's commit time (0 for snapshot rows), {@code snapshot} = op is {@code r},
 *       {@code lsn} (null when absent or the invalid LSN 0) and {@code txId} from the source block.
 *   <li>Ordering: for log events ({@code c/u/d}) the change's LSN. For snapshot rows ({@code r}) the LSN in the
 *       record's source block when Flink CDC set one (a row merged with a change read while back-filling its
 *       chunk carries that change's LSN), else 0. Both are at most the high watermark of the row's snapshot chunk,
 *       and every later log change of that row Flink CDC emits has an LSN above that watermark, so a snapshot row
 *       never beats a later change of the same row. (A snapshot of a fresh slot written into a table that still
 *       holds rows of an earlier run can lose to those older rows: reset such targets together with the slot.)
 *   <li>A value that does not convert to its column's kind (a decimal beyond the column's precision, an unexpected
 *       class) becomes an {@link InvalidValue} in the image; the pipeline's validate stage then applies
 *       {@code errors.mode} to the change.
 *   <li>Unchanged TOASTed values, which pgoutput does not send, are taken from the before image (present with
 *       REPLICA IDENTITY FULL); without one the record fails with a message saying so.
 * </ul>
 *
 * <p>Not thread-safe per instance beyond what Flink guarantees (one instance per source reader).
 */
public final class PostgresChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeEventDeserializer.class);

  /** The placeholder Debezium writes for unchanged TOASTed values; Tributary sets it explicitly. */
  static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

  private static final byte[] UNAVAILABLE_BYTES = UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8);

  private final String pipelineName;
  private final HashMap<String, TableSchema> tables;
  private final SchemaDrift drift;
  private transient Set<String> warnedTables;
  private transient RecordShapes shapes;

  /** A deserializer with {@code schema.change.behavior: evolve}. */
  public PostgresChangeEventDeserializer(String pipelineName, List<TableSchema> tables) {
    this(pipelineName, tables, SchemaChangeBehavior.EVOLVE);
  }

  /**
   * @param pipelineName the pipeline name, written to {@link SourceInfo#name()}
   * @param tables the tables {@link PostgresSource#discover()} returned; records of other tables are skipped
   * @param behavior what a record whose columns differ from its table's schema does (see {@link SchemaDrift})
   */
  public PostgresChangeEventDeserializer(
      String pipelineName, List<TableSchema> tables, SchemaChangeBehavior behavior) {
    this.pipelineName = pipelineName;
    this.drift = new SchemaDrift(behavior);
    this.tables = new HashMap<>();
    for (TableSchema t : tables) {
      this.tables.put(t.tableId().schemaQualifiedName(), t);
    }
  }

  @Override
  public void deserialize(SourceRecord record, Collector<ChangeEvent> out) {
    ChangeEvent event = convert(record);
    if (event != null) {
      out.collect(event);
    }
  }

  /**
   * Converts one record.
   *
   * @return the event, or null when the record is not a row change of a discovered table (see the class comment)
   * @throws IllegalStateException if a log event has no LSN, or an unchanged TOASTed value has no before image
   */
  public ChangeEvent convert(SourceRecord record) {
    if (!(record.value() instanceof Struct)) {
      return null; // tombstone
    }
    Struct value = (Struct) record.value();
    if (value.schema().field("op") == null || value.schema().field("source") == null) {
      return null; // heartbeat, schema change, watermark
    }
    Op op = op(value.getString("op"));
    if (op == null) {
      return null;
    }
    Struct source = value.getStruct("source");
    String schema = (String) optional(source, "schema");
    String table = (String) optional(source, "table");
    TableSchema tableSchema = tables.get(schema + "." + table);
    if (tableSchema == null) {
      if (warnedTables == null) {
        warnedTables = new HashSet<>();
      }
      if (warnedTables.add(schema + "." + table)) {
        LOG.warn("Skipping changes of table {}.{}: not among the discovered tables {}", schema, table,
            tables.keySet());
      }
      return null;
    }
    Long lsn = (Long) optional(source, "lsn");
    if (lsn != null && lsn <= 0) {
      lsn = null; // Flink CDC's initial offset for plain snapshot reads is the invalid LSN 0/0
    }
    Long txId = (Long) optional(source, "txId");
    Long commitTs = (Long) optional(source, "ts_ms");
    Long envelopeTs = (Long) optional(value, "ts_ms");
    long ordering;
    if (op == Op.READ) {
      ordering = lsn != null ? lsn : 0L;
    } else {
      if (lsn == null) {
        throw new IllegalStateException(
            "change of table " + tableSchema.tableId() + " (op " + op.code() + ") carries no LSN: " + source);
      }
      ordering = lsn;
    }
    SourceInfo info =
        SourceInfo.builder()
            .connector("postgresql")
            .name(pipelineName)
            .table(tableSchema.tableId())
            .tsMs(op == Op.READ || commitTs == null ? 0L : commitTs)
            .snapshot(op == Op.READ)
            .lsn(lsn)
            .txId(txId)
            .ordering(ordering)
            .build();
    long tsMs = envelopeTs != null ? envelopeTs : System.currentTimeMillis();

    Map<String, Object> before = image(tableSchema, (Struct) optional(value, "before"), null);
    Map<String, Object> after =
        op == Op.DELETE ? null : image(tableSchema, (Struct) optional(value, "after"), before);
    switch (op) {
      case READ:
        return ChangeEvent.read(tableSchema.tableId(), after, info, tsMs);
      case CREATE:
        return ChangeEvent.insert(tableSchema.tableId(), after, info, tsMs);
      case UPDATE:
        return ChangeEvent.update(tableSchema.tableId(), before, after, info, tsMs);
      default:
        return ChangeEvent.delete(tableSchema.tableId(), before, info, tsMs);
    }
  }

  @Override
  public TypeInformation<ChangeEvent> getProducedType() {
    return TypeInformation.of(ChangeEvent.class);
  }

  /**
   * The struct fields of {@code table}'s columns in column order (null where the struct lacks a column), cached per
   * Debezium value schema instance (Debezium builds one per table shape, so this runs once per shape, not per
   * record). A new shape is checked against the table's schema first, per {@code schema.change.behavior}.
   */
  private Field[] fields(TableSchema table, Struct struct) {
    if (shapes == null) {
      shapes = new RecordShapes(
          (t, s) -> drift.check(t, RecordShapes.recordColumns(s), retyped(t, s), null));
    }
    return shapes.fields(table, struct);
  }

  /**
   * Columns whose Connect type in the record is not the column's, as {@code name (source type -> Connect type)}; a
   * narrower type that converts without loss is not listed (see {@link DebeziumValues#widens}).
   */
  private static List<String> retyped(TableSchema table, Struct struct) {
    List<String> out = new ArrayList<>();
    for (Column c : table.columns()) {
      Field f = struct.schema().field(c.name());
      if (f != null && !DebeziumValues.holds(c, f.schema()) && !DebeziumValues.widens(c, f.schema())) {
        out.add(c.name() + " (" + c.sourceType() + " -> " + RecordShapes.describe(f.schema()) + ")");
      }
    }
    return out;
  }

  /**
   * Converts a row image; {@code fallback} (the before image) supplies values pgoutput left out because they are
   * unchanged TOASTed values.
   */
  private Map<String, Object> image(TableSchema table, Struct struct, Map<String, Object> fallback) {
    if (struct == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Field[] fields = fields(table, struct);
    List<Column> columns = table.columns();
    for (int i = 0; i < fields.length; i++) {
      Column column = columns.get(i);
      Field field = fields[i];
      Object raw = field == null ? null : struct.get(field);
      if (isUnavailable(raw)) {
        if (fallback == null) {
          throw new IllegalStateException(
              "table " + table.tableId() + " column " + column.name() + ": PostgreSQL did not send this unchanged "
                  + "TOASTed value and the change has no before image to take it from; set REPLICA IDENTITY FULL "
                  + "on the table");
        }
        out.put(column.name(), fallback.get(column.name()));
        continue;
      }
      try {
        out.put(column.name(), DebeziumValueConversions.convert(column, field == null ? null : field.schema(), raw));
      } catch (IllegalArgumentException e) {
        // kept, marked: the validate stage applies errors.mode to the whole change (fail, skip or dead-letter)
        out.put(column.name(),
            new InvalidValue("table " + table.tableId() + " " + e.getMessage(), DebeziumValueConversions.rawText(raw)));
      }
    }
    return out;
  }

  private static boolean isUnavailable(Object raw) {
    if (raw instanceof String) {
      return UNAVAILABLE_VALUE.equals(raw);
    }
    if (raw instanceof byte[]) {
      return Arrays.equals(UNAVAILABLE_BYTES, (byte[]) raw);
    }
    if (raw instanceof ByteBuffer) {
      return ((ByteBuffer) raw).duplicate().equals(ByteBuffer.wrap(UNAVAILABLE_BYTES));
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PostgresChangeEventDeserializer
        && Objects.equals(pipelineName, ((PostgresChangeEventDeserializer) o).pipelineName)
        && tables.equals(((PostgresChangeEventDeserializer) o).tables)
        && drift.behavior() == ((PostgresChangeEventDeserializer) o).drift.behavior();
  }

  @Override
  public int hashCode() {
    return Objects.hash(pipelineName, tables);
  }
}
