package io.tributary.source.mysql;

import static io.tributary.source.debezium.DebeziumEnvelope.op;
import static io.tributary.source.debezium.DebeziumEnvelope.optional;

import io.tributary.config.SchemaChangeBehavior;
import io.tributary.config.spi.SchemaChangeException;
import io.tributary.config.spi.SchemaDrift;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import io.debezium.document.Array;
import io.debezium.document.Document;
import io.debezium.document.DocumentReader;
import io.debezium.document.Value;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.Op;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.source.debezium.RecordShapes;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Debezium MySQL change records (relocated Kafka Connect {@link SourceRecord}s from Flink CDC's MySQL source)
 * into {@link ChangeEvent}s.
 *
 * <ul>
 *   <li>Ops {@code r}, {@code c}, {@code u}, {@code d} become the matching event; tombstones, heartbeats, watermark
 *       signals and records of tables that discovery did not return are skipped (the latter with one warning per
 *       table).
 *   <li>Schema change records (DDL; their value carries Flink CDC's {@code historyRecord}) emit nothing: the DDL text
 *       is remembered per table ({@link #lastDdl}) and logged at INFO.
 *   <li>Row images hold exactly the discovered columns, in column order, with values converted to the classes
 *       documented on {@link io.tributary.schema.ColumnKind} (see {@link MySqlTypeMapping}). A value that has no
 *       faithful representation (a zero date, a {@code time} outside one day, a {@code tinyint(1)} other than 0 or
 *       1, a decimal beyond its precision, an unexpected class) becomes an {@link InvalidValue} naming table,
 *       column, source type and value; the pipeline's validate stage then applies {@code errors.mode}.
 *   <li>A row whose columns differ from the discovered table (a column added or dropped since discovery) goes to
 *       checked per {@code schema.change.behavior} ({@link SchemaDrift}): stop (evolve re-plans), or keep the old
 *       schema (ignore); messages quote the last DDL seen for the table. Under {@code fail} the DDL record of an
 *       ALTER, RENAME or DROP TABLE on a captured table stops the job itself.
 *   <li>{@link SourceInfo}: connector {@code mysql}, name = pipeline name, database and table (no schema),
 *       {@code ts_ms} = the binlog event's time (second precision; 0 for snapshot rows), {@code snapshot} = op is
 *       {@code r}, binlog file and position ({@code source.file}, {@code source.pos}: the position of the change's
 *       rows event), GTID ({@code source.gtid}; present only where Debezium tracks GTIDs: MySQL with
 *       {@code gtid_mode=ON}; Flink CDC 3.5 does not read MariaDB's GTIDs, so it is null on MariaDB) and server id
 *       (null for snapshot rows, which carry none).
 *   <li>Ordering: for binlog changes ({@code c/u/d}) {@link BinlogOrdering#of}(file, pos, row). For snapshot rows
 *       ({@code r}), 0; except rows Flink CDC merged with a binlog change while back-filling their chunk, which carry
 *       that change's binlog position, folded the same way. (Flink CDC 3.5 reads plain snapshot rows with the
 *       "earliest" offset, file {@code ""} and position 0.) That position lies below the chunk's high watermark, and
 *       every later binlog change of the row that Flink CDC emits lies above it, so a snapshot row never beats a
 *       later change of the same row.
 * </ul>
 *
 * <p>Not thread-safe per instance beyond what Flink guarantees (one instance per source reader).
 */
public final class MySqlChangeEventDeserializer implements DebeziumDeserializationSchema<ChangeEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MySqlChangeEventDeserializer.class);

  /** {@link SourceInfo#connector()} of this source. */
  public static final String CONNECTOR = "mysql";

  /** DDL that changes a table's definition (leading comments and spaces allowed), case-insensitive. */
  private static final java.util.regex.Pattern ALTERS_TABLE = java.util.regex.Pattern.compile(
      "\\s*(/\\*.*?\\*/\\s*)*(ALTER|RENAME|DROP)\\s+TABLE\\b",
      java.util.regex.Pattern.CASE_INSENSITIVE | java.util.regex.Pattern.DOTALL);

  /** The field of Flink CDC's schema change records that holds Debezium's history record (JSON). */
  static final String HISTORY_RECORD_FIELD = "historyRecord";

  private final String pipelineName;
  private final HashMap<String, TableSchema> tables;
  private final SchemaDrift drift;
  private transient Set<String> warnedTables;
  private transient RecordShapes shapes;
  private transient Map<TableId, String> lastDdl;

  /**
   * @param pipelineName the pipeline name, written to {@link SourceInfo#name()}
   * @param tables the tables {@link MySqlSource#discover()} returned; records of other tables are skipped
   */
  public MySqlChangeEventDeserializer(String pipelineName, List<TableSchema> tables) {
    this(pipelineName, tables, SchemaChangeBehavior.EVOLVE);
  }

  /**
   * @param pipelineName the pipeline name, written to {@link SourceInfo#name()}
   * @param tables the tables {@link MySqlSource#discover()} returned; records of other tables are skipped
   * @param behavior what a DDL on a captured table does (see {@link SchemaDrift}); under FAIL the DDL record itself
   *     stops the job, before any change after it
   */
  public MySqlChangeEventDeserializer(String pipelineName, List<TableSchema> tables, SchemaChangeBehavior behavior) {
    this.drift = new SchemaDrift(behavior);
    this.pipelineName = pipelineName;
    this.tables = new HashMap<>();
    for (TableSchema t : tables) {
      this.tables.put(key(t.tableId().database(), t.tableId().table()), t);
    }
  }

  private static String key(String database, String table) {
    return database + "." + table;
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
   * @throws IllegalStateException if a binlog change carries no binlog position, its position does not fold into an
   *     ordering value (see {@link BinlogOrdering#of}), or its columns differ from the discovered table's
   */
  public ChangeEvent convert(SourceRecord record) {
    if (!(record.value() instanceof Struct)) {
      return null; // tombstone
    }
    Struct value = (Struct) record.value();
    if (value.schema().field(HISTORY_RECORD_FIELD) != null) {
      onSchemaChange(value);
      return null;
    }
    if (value.schema().field("op") == null || value.schema().field("source") == null) {
      return null; // heartbeat, watermark signal
    }
    Op op = op(value.getString("op"));
    if (op == null) {
      return null;
    }
    Struct source = value.getStruct("source");
    String database = (String) optional(source, "db");
    String table = (String) optional(source, "table");
    TableSchema tableSchema = tables.get(key(database, table));
    if (tableSchema == null) {
      if (warnedTables == null) {
        warnedTables = new HashSet<>();
      }
      if (warnedTables.add(key(database, table))) {
        LOG.warn("Skipping changes of table {}.{}: not among the discovered tables {}", database, table,
            tables.keySet());
      }
      return null;
    }
    String file = (String) optional(source, "file");
    Long pos = (Long) optional(source, "pos");
    Integer row = (Integer) optional(source, "row");
    boolean positioned = file != null && !file.isEmpty() && pos != null && pos > 0;
    long ordering;
    if (op == Op.READ) {
      ordering = positioned ? BinlogOrdering.of(file, pos, row == null ? 0 : row) : 0L;
    } else {
      if (!positioned) {
        throw new IllegalStateException(
            "change of table " + tableSchema.tableId() + " (op " + op.code() + ") carries no binlog position: "
                + source);
      }
      ordering = BinlogOrdering.of(file, pos, row == null ? 0 : row);
    }
    Long serverId = (Long) optional(source, "server_id");
    Long commitTs = (Long) optional(source, "ts_ms");
    Long envelopeTs = (Long) optional(value, "ts_ms");
    SourceInfo info =
        SourceInfo.builder()
            .connector(CONNECTOR)
            .name(pipelineName)
            .table(tableSchema.tableId())
            .tsMs(op == Op.READ || commitTs == null ? 0L : commitTs)
            .snapshot(op == Op.READ)
            .binlogFile(positioned ? file : null)
            .binlogPos(positioned ? pos : null)
            .gtid((String) optional(source, "gtid"))
            .serverId(serverId == null || serverId == 0L ? null : serverId)
            .ordering(ordering)
            .build();
    long tsMs = envelopeTs != null ? envelopeTs : System.currentTimeMillis();

    Map<String, Object> before = image(tableSchema, (Struct) optional(value, "before"));
    Map<String, Object> after = op == Op.DELETE ? null : image(tableSchema, (Struct) optional(value, "after"));
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

  /**
   * The text of the last DDL statement this instance saw for a table (in the binlog, since the job or this reader
   * started), or null if none. For messages.
   */
  public String lastDdl(TableId table) {
    return lastDdl == null ? null : lastDdl.get(table);
  }

  @Override
  public TypeInformation<ChangeEvent> getProducedType() {
    return TypeInformation.of(ChangeEvent.class);
  }

  /** Remembers and logs the DDL of a schema change record; emits nothing. */
  private void onSchemaChange(Struct value) {
    String history = (String) optional(value, HISTORY_RECORD_FIELD);
    if (history == null) {
      return;
    }
    Document doc;
    try {
      doc = DocumentReader.defaultReader().read(history);
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read a schema change record's history record: {}", e.toString());
      return;
    }
    String ddl = doc.getString("ddl");
    String database = doc.getString("databaseName");
    Set<TableId> ids = new LinkedHashSet<>();
    Array changes = doc.getArray("tableChanges");
    if (changes != null) {
      for (int i = 0; i < changes.size(); i++) {
        Value change = changes.get(i);
        String id = change == null || !change.isDocument() ? null : change.asDocument().getString("id");
        if (id != null) {
          io.debezium.relational.TableId parsed = io.debezium.relational.TableId.parse(id);
          if (parsed != null && parsed.catalog() != null) {
            ids.add(new TableId(parsed.catalog(), null, parsed.table()));
          }
        }
      }
    }
    Struct source = (Struct) optional(value, "source");
    String sourceTables = source == null ? null : (String) optional(source, "table");
    String sourceDb = source == null ? null : (String) optional(source, "db");
    if (ids.isEmpty() && sourceTables != null && (sourceDb != null || database != null)) {
      for (String t : sourceTables.split(",")) {
        if (!t.isBlank()) {
          ids.add(new TableId(sourceDb != null ? sourceDb : database, null, t.trim()));
        }
      }
    }
    if (ddl == null) {
      return;
    }
    if (lastDdl == null) {
      lastDdl = new HashMap<>();
    }
    for (TableId id : ids) {
      lastDdl.put(id, ddl);
    }
    LOG.info("DDL {} {}: {}", ids.isEmpty() ? "in database" : "on", ids.isEmpty() ? database : ids, ddl);
    if (drift.behavior() == SchemaChangeBehavior.FAIL && ALTERS_TABLE.matcher(ddl).lookingAt()) {
      for (TableId id : ids) {
        if (tables.containsKey(key(id.database(), id.table()))) {
          SchemaChangeException stop = new SchemaChangeException(
              id.toString(), List.of(), List.of(), List.of(), ddl, SchemaChangeBehavior.FAIL);
          LOG.warn("{}", stop.getMessage());
          throw new SuppressRestartsException(stop);
        }
      }
    }
  }

  /**
   * The struct fields of {@code table}'s columns in column order, cached per Debezium value schema instance
   * (Debezium builds one per table shape, so the column-set check runs once per shape, not per record).
   */
  private Field[] fields(TableSchema table, Struct struct) {
    if (shapes == null) {
      // retyped is empty on purpose: the zero-date converter changes the Connect representation of temporal
      // columns, so a type comparison would report changes that are none; column sets are compared
      shapes = new RecordShapes(
          (t, s) -> drift.check(t, RecordShapes.recordColumns(s), List.of(), lastDdl(t.tableId())));
    }
    return shapes.fields(table, struct);
  }

  /** Converts a row image; values that do not convert become {@link InvalidValue}s. */
  private Map<String, Object> image(TableSchema table, Struct struct) {
    if (struct == null) {
      return null;
    }
    Field[] fields = fields(table, struct);
    List<Column> columns = table.columns();
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i++) {
      Column column = columns.get(i);
      Field field = fields[i];
      Object raw = field == null ? null : struct.get(field);
      Schema schema = field == null ? null : field.schema();
      try {
        out.put(column.name(), MySqlValues.convert(column, schema, raw));
      } catch (IllegalArgumentException e) {
        // kept, marked: the validate stage applies errors.mode to the whole change (fail, skip or dead-letter)
        String reason = "table " + table.tableId() + " " + e.getMessage();
        out.put(column.name(), new InvalidValue(reason, MySqlValues.rawText(column, schema, raw)));
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MySqlChangeEventDeserializer
        && Objects.equals(pipelineName, ((MySqlChangeEventDeserializer) o).pipelineName)
        && tables.equals(((MySqlChangeEventDeserializer) o).tables)
        && drift.behavior() == ((MySqlChangeEventDeserializer) o).drift.behavior();
  }

  @Override
  public int hashCode() {
    return Objects.hash(pipelineName, tables);
  }
}
