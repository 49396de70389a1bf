package io.tributary.sink.hudi;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroSchemas;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hudi.client.HoodieJavaWriteClient;
import org.apache.hudi.client.WriteStatus;
import org.apache.hudi.client.common.HoodieJavaEngineContext;
import org.apache.hudi.common.config.RecordMergeMode;
import org.apache.hudi.common.config.TypedProperties;
import org.apache.hudi.common.model.DefaultHoodieRecordPayload;
import org.apache.hudi.common.model.HoodieAvroRecord;
import org.apache.hudi.common.model.HoodieKey;
import org.apache.hudi.common.model.HoodieRecord;
import org.apache.hudi.common.model.HoodieRecordPayload;
import org.apache.hudi.common.model.HoodieTableType;
import org.apache.hudi.common.model.WriteOperationType;
import org.apache.hudi.common.table.HoodieTableConfig;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.common.util.Option;
import org.apache.hudi.config.HoodieWriteConfig;
import org.apache.hudi.hadoop.fs.HadoopFSUtils;
import org.apache.hudi.keygen.KeyGenerator;
import org.apache.hudi.keygen.factory.HoodieAvroKeyGeneratorFactory;
import org.apache.hudi.storage.StorageConfiguration;
import org.apache.hudi.table.action.HoodieWriteMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one Hudi table with the Hudi Java client, in two phases: {@link #write} puts a batch under a new instant and
 * leaves it pending (requested/inflight on the timeline, invisible to readers); {@link #commit} completes it later.
 * Not thread-safe; one instance per table per process, and a single process per table (Hudi's single-writer mode).
 *
 * <p>Rules that keep the two phases safe with the Java client (STACK.md pitfall 15):
 *
 * <ul>
 *   <li>At most one pending instant per table. Under the default (EAGER) failed-writes policy every {@code
 *       startCommit()} rolls back any instant still waiting for its commit, so the caller must commit the pending
 *       instant before writing the next batch.
 *   <li>{@link #commit} is idempotent: it checks the timeline first, since committing a completed instant again writes
 *       a second completion file.
 *   <li>On restore, {@link #recover} commits the instant whose checkpoint completed before anything else, then rolls
 *       back every other pending write.
 * </ul>
 *
 * <p>Settings: the embedded timeline server is off (STACK.md pitfall 1); the index is SIMPLE for non-partitioned
 * tables and GLOBAL_SIMPLE, moving a key whose partition value changed, for partitioned ones (the Java client has no
 * persistent BUCKET index and INMEMORY is lost on restart, pitfall 16); the spillable map is BITCASK (no RocksDB in
 * the bundle, pitfall 3); on MERGE_ON_READ the small-file limit is 0, since merging inserts into a small base file
 * without its log files silently loses updates and deletes (pitfall 14); merge mode EVENT_TIME_ORDERING with {@link
 * DefaultHoodieRecordPayload}, ordering field {@link HudiRows#ORDERING_FIELD} and delete marker {@link
 * HudiRows#OP_FIELD} = {@link HudiRows#DELETE_MARKER}.
 */
final class HudiTableWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HudiTableWriter.class);

  /** Commit extra metadata: the Flink checkpoint whose completion committed the instant. */
  static final String CHECKPOINT_ID_KEY = "tributary.checkpoint.id";
  /** Commit extra metadata: the sink that wrote the instant. */
  static final String SINK_KEY = "tributary.sink";
  /**
   * Commit metadata key: the largest ordering value (for PostgreSQL the LSN) among the rows of the commit, so that a
   * reader can tell up to which source position a commit reaches (the benchmark measures Hudi latency with it).
   */
  static final String MAX_ORDERING_KEY = "tributary.max.ordering";

  private final HudiSinkConfig config;
  private final TableId tableId;
  private final String basePath;
  private final String tableName;
  private final Schema schema;
  private final HoodieJavaWriteClient<HoodieRecordPayload> client;
  private final StorageConfiguration<Configuration> storageConf;
  private final GenericDatumReader<GenericRecord> reader;
  private final ExecutorService shield;
  private BinaryDecoder decoder;
  private final long fingerprint;
  private java.util.Map<Long, GenericDatumReader<GenericRecord>> olderReaders;

  private HudiTableWriter(HudiSinkConfig config, TableSchema table) {
    this.config = config;
    this.tableId = table.tableId();
    this.basePath = config.basePath(tableId);
    this.tableName = config.tableName(tableId);
    this.schema = HudiRows.schema(table, tableName);
    this.storageConf = HadoopFSUtils.getStorageConf(config.hadoopConfiguration());
    Properties props = writeProperties(config, table, tableName);
    HoodieWriteConfig writeConfig =
        HoodieWriteConfig.newBuilder()
            .withPath(basePath)
            .withSchema(schema.toString())
            .forTable(tableName)
            .withEmbeddedTimelineServerEnabled(false)
            .withProperties(props)
            .build();
    this.client = new HoodieJavaWriteClient<>(new HoodieJavaEngineContext(storageConf), writeConfig);
    this.reader = new GenericDatumReader<>(schema);
    this.fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(schema);
    this.shield =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "hudi-commit-" + tableName);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens a writer for an existing table (see {@link #initTable}).
   *
   * @throws org.apache.hudi.exception.HoodieException if the table cannot be opened
   */
  static HudiTableWriter open(HudiSinkConfig config, TableSchema table) {
    return new HudiTableWriter(config, table);
  }

  TableId tableId() {
    return tableId;
  }

  String basePath() {
    return basePath;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Table layout

  /**
   * Creates the table at its base path unless a Hudi table is already there, in which case checks that its type and
   * record key match the sink's.
   *
   * @return true if the table was created
   * @throws IOException if the file system fails
   * @throws HudiSinkException if an existing table has another type or record key
   */
  static boolean initTable(HudiSinkConfig config, TableSchema table) throws IOException {
    String basePath = config.basePath(table.tableId());
    String tableName = config.tableName(table.tableId());
    Configuration hadoop = config.hadoopConfiguration();
    StorageConfiguration<Configuration> storageConf = HadoopFSUtils.getStorageConf(hadoop);
    List<String> problems = existingTableProblems(config, table);
    if (problems != null) {
      if (!problems.isEmpty()) {
        throw new HudiSinkException(
            "sink " + config.sinkName() + ", table " + table.tableId() + ": the existing Hudi table at " + basePath
                + " does not match: " + String.join("; ", problems));
      }
      return false;
    }
    Schema schema = HudiRows.schema(table, tableName);
    HoodieTableMetaClient.TableBuilder b =
        HoodieTableMetaClient.newTableBuilder()
            .setTableType(hudiType(config.tableType()))
            .setTableName(tableName)
            .setRecordKeyFields(String.join(",", recordKeyFields(table)))
            .setOrderingFields(HudiRows.ORDERING_FIELD)
            .setRecordMergeMode(RecordMergeMode.EVENT_TIME_ORDERING)
            .setPayloadClassName(DefaultHoodieRecordPayload.class.getName())
            .setRecordDeleteFieldAndMarker(HudiRows.OP_FIELD, HudiRows.DELETE_MARKER)
            .setKeyGeneratorType(keyGeneratorType(config, table))
            .setTableCreateSchema(schema.toString())
            .setPopulateMetaFields(true)
            .setBaseFileFormat("PARQUET");
    String partition = partitionField(config, table);
    if (partition != null) {
      b.setPartitionFields(partition);
    }
    b.initTable(storageConf, basePath);
    LOG.info("Sink {}: created {} Hudi table {} at {} for {}", config.sinkName(), config.tableType(), tableName,
        basePath, table.tableId());
    return true;
  }

  /** The record key fields: the primary key columns, as Avro field names. */
  /**
   * What stops the sink from writing into the Hudi table already at the table's path, without changing anything:
   * another table type, record key or partitioning (a changed partitioning changes key generator and index, so
   * existing keys would not be found), or a schema the table cannot evolve to ({@link #evolutionProblems}).
   *
   * @return the problems (empty when the existing table fits), or null when no Hudi table exists at the path
   * @throws IOException if the file system fails
   */
  static List<String> existingTableProblems(HudiSinkConfig config, TableSchema table) throws IOException {
    String basePath = config.basePath(table.tableId());
    Configuration hadoop = config.hadoopConfiguration();
    Path props = new Path(new Path(basePath, HoodieTableMetaClient.METAFOLDER_NAME), HoodieTableConfig.HOODIE_PROPERTIES_FILE);
    FileSystem fs = props.getFileSystem(hadoop);
    if (!fs.exists(props)) {
      return null;
    }
    StorageConfiguration<Configuration> storageConf = HadoopFSUtils.getStorageConf(hadoop);
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(storageConf).setBasePath(basePath).build();
    HoodieTableConfig tc = meta.getTableConfig();
    String expectedKey = String.join(",", recordKeyFields(table));
    String actualKey = tc.getRecordKeyFields().map(a -> String.join(",", a)).orElse("");
    List<String> problems = new ArrayList<>();
    if (tc.getTableType() != hudiType(config.tableType())) {
      problems.add("table type is " + tc.getTableType() + ", the sink writes " + hudiType(config.tableType()));
    }
    if (!expectedKey.equals(actualKey)) {
      problems.add("record key is [" + actualKey + "], the sink writes [" + expectedKey + "]");
    }
    String expectedPartition = partitionField(config, table) == null ? "" : partitionField(config, table);
    String actualPartition = tc.getPartitionFields().map(a -> String.join(",", a)).orElse("");
    if (!expectedPartition.equals(actualPartition)) {
      problems.add("partition fields are [" + actualPartition + "], the sink writes [" + expectedPartition + "]");
    }
    if (!problems.isEmpty()) {
      problems.add("point path at a new location or align table.type and partition.path with the existing table");
      return problems;
    }
    return evolutionProblems(config, table, config.tableName(table.tableId()), meta);
  }

  /**
   * Checks that the table's schema as the sink would now write it can read every row the Hudi table holds (written
   * with its latest committed schema): Avro schema resolution (Avro specification, "Schema Resolution"), which Hudi
   * and Spark apply when they merge older files with newer ones. Adding a nullable column passes; narrowing a type
   * (bigint to int), adding a NOT NULL column without a default or changing a column's type otherwise does not.
   * Dropped columns pass: older files keep them, readers of the latest schema no longer see them. A table without
   * a completed commit passes.
   *
   * @return one line per incompatible column plus what to do; empty when the table can evolve
   */
  static List<String> evolutionProblems(
      HudiSinkConfig config, TableSchema table, String tableName, HoodieTableMetaClient meta) {
    Schema latest;
    try {
      if (meta.getActiveTimeline().getCommitsTimeline().filterCompletedInstants().empty()) {
        return List.of();
      }
      latest = new org.apache.hudi.common.table.TableSchemaResolver(meta).getTableAvroSchema(false);
    } catch (Exception e) {
      LOG.warn("Sink {}: cannot read the latest schema of the Hudi table at {} ({}); not checking its evolution",
          config.sinkName(), meta.getBasePath(), e.toString());
      return List.of();
    }
    Schema proposed = HudiRows.schema(table, tableName);
    List<String> problems = new ArrayList<>();
    for (Schema.Field f : proposed.getFields()) {
      Schema.Field old = latest.getField(f.name());
      if (old == null) {
        if (!f.hasDefaultValue()) {
          problems.add("column " + f.name() + " is new and required (NOT NULL without a default): rows written "
              + "before it have no value for it");
        }
        continue;
      }
      org.apache.avro.SchemaCompatibility.SchemaPairCompatibility c =
          org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(f.schema(), old.schema());
      if (c.getType() != org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        problems.add("column " + f.name() + " changed from " + typeName(old.schema()) + " to " + typeName(f.schema())
            + ", which cannot read the values written before");
      }
    }
    if (!problems.isEmpty()) {
      problems.add(0, "it cannot evolve to the table's new schema");
      problems.add("make the change compatible (add columns as nullable, widen types only), or point path at a new "
          + "location");
    }
    return problems;
  }

  private static String typeName(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      return s.getTypes().stream().map(HudiTableWriter::typeName).collect(Collectors.joining("|"));
    }
    return s.getLogicalType() != null ? s.getType().getName() + "/" + s.getLogicalType().getName() : s.getType().getName();
  }

  static List<String> recordKeyFields(TableSchema table) {
    if (table.primaryKey().isEmpty()) {
      throw new HudiSinkException(
          "table " + table.tableId() + " has no primary key; the hudi sink needs one for the record key");
    }
    return table.primaryKeyColumns().stream().map(c -> AvroSchemas.avroName(c.name())).collect(Collectors.toList());
  }

  /** The partition field (Avro field name) for a table, or null when the table is not partitioned. */
  static String partitionField(HudiSinkConfig config, TableSchema table) {
    if (config.partitionField() == null) {
      return null;
    }
    return table.column(config.partitionField()).map(Column::name).map(AvroSchemas::avroName).orElse(null);
  }

  private static String keyGeneratorType(HudiSinkConfig config, TableSchema table) {
    if (partitionField(config, table) == null) {
      return "NON_PARTITION";
    }
    return table.primaryKey().size() == 1 ? "SIMPLE" : "COMPLEX";
  }

  private static HoodieTableType hudiType(HudiTableType t) {
    return t == HudiTableType.COPY_ON_WRITE ? HoodieTableType.COPY_ON_WRITE : HoodieTableType.MERGE_ON_READ;
  }

  /** The key generator of a table, rendering record keys and partition paths from Hudi rows. */
  static KeyGenerator keyGenerator(HudiSinkConfig config, TableSchema table) {
    TypedProperties p = new TypedProperties();
    p.putAll(keyProperties(config, table));
    try {
      return HoodieAvroKeyGeneratorFactory.createKeyGenerator(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Properties keyProperties(HudiSinkConfig config, TableSchema table) {
    Properties p = new Properties();
    String partition = partitionField(config, table);
    p.setProperty("hoodie.datasource.write.recordkey.field", String.join(",", recordKeyFields(table)));
    p.setProperty("hoodie.datasource.write.partitionpath.field", partition == null ? "" : partition);
    p.setProperty("hoodie.datasource.write.keygenerator.type", keyGeneratorType(config, table));
    return p;
  }

  /** Every write property, Tributary's then the pass-through {@code hoodie.} ones (see the class comment). */
  static Properties writeProperties(HudiSinkConfig config, TableSchema table, String tableName) {
    Properties p = new Properties();
    p.putAll(keyProperties(config, table));
    boolean partitioned = partitionField(config, table) != null;
    p.setProperty("hoodie.table.name", tableName);
    p.setProperty("hoodie.datasource.write.table.type", hudiType(config.tableType()).name());
    p.setProperty("hoodie.datasource.write.precombine.field", HudiRows.ORDERING_FIELD);
    p.setProperty("hoodie.table.ordering.fields", HudiRows.ORDERING_FIELD);
    p.setProperty("hoodie.write.record.merge.mode", RecordMergeMode.EVENT_TIME_ORDERING.name());
    p.setProperty("hoodie.datasource.write.payload.class", DefaultHoodieRecordPayload.class.getName());
    p.setProperty("hoodie.compaction.payload.class", DefaultHoodieRecordPayload.class.getName());
    p.setProperty(DefaultHoodieRecordPayload.DELETE_KEY, HudiRows.OP_FIELD);
    p.setProperty(DefaultHoodieRecordPayload.DELETE_MARKER, HudiRows.DELETE_MARKER);
    p.setProperty("hoodie.embed.timeline.server", "false");
    p.setProperty("hoodie.index.type", partitioned ? "GLOBAL_SIMPLE" : "SIMPLE");
    p.setProperty("hoodie.simple.index.update.partition.path", "true");
    p.setProperty("hoodie.common.spillable.diskmap.type", "BITCASK");
    p.setProperty("hoodie.clean.failed.writes.policy", "EAGER");
    p.setProperty("hoodie.write.markers.type", "DIRECT");
    // Parquet bloom filters serve only the BLOOM indexes; Tributary uses SIMPLE / GLOBAL_SIMPLE. Writing them cost
    // more CPU than anything else in a streaming write (serialising a 60k-entry filter per new base file).
    p.setProperty("hoodie.parquet.bloom.filter.enabled", "false");
    if (config.tableType() == HudiTableType.MERGE_ON_READ) {
      p.setProperty("hoodie.parquet.small.file.limit", "0");
    }
    p.setProperty("hoodie.compact.inline", "false");
    p.setProperty("hoodie.compact.schedule.inline", "false");
    p.setProperty("hoodie.compact.inline.max.delta.commits", String.valueOf(config.compactionDeltaCommits()));
    p.setProperty("hoodie.clean.commits.retained", String.valueOf(config.cleanerCommitsRetained()));
    int keepMin = Math.max(20, config.cleanerCommitsRetained() + 1);
    p.setProperty("hoodie.keep.min.commits", String.valueOf(keepMin));
    p.setProperty("hoodie.keep.max.commits", String.valueOf(keepMin + 10));
    if (table.columns().stream().anyMatch(c -> c.kind() == ColumnKind.UUID || c.kind() == ColumnKind.BYTES)) {
      // Hudi 1.1.1 cannot collect column statistics of an Avro uuid column from log blocks (MERGE_ON_READ append
      // handle: "Unable to convert UUID: class org.apache.avro.util.Utf8") and fails the write; for a bytes column
      // it keeps the min/max as a java.nio.HeapByteBuffer in the write statuses, which then cannot be serialized
      // into the checkpoint (NotSerializableException, found with the MySQL demo's binary columns). The column
      // stats and partition stats indexes (data skipping) stay off for such tables unless hoodie.* options say
      // otherwise.
      p.setProperty("hoodie.metadata.index.column.stats.enable", "false");
      p.setProperty("hoodie.metadata.index.partition.stats.enable", "false");
    }
    p.putAll(config.hoodieProperties());
    return p;
  }

  // ------------------------------------------------------------------------------------------------------------
  // Two-phase writes

  /**
   * Writes rows under a new instant and leaves it pending. The caller must have committed or given up every earlier
   * instant of this table (see the class comment).
   *
   * @param rows the batch, at most one row per record key (the caller de-duplicates), not empty
   * @param checkpointId the checkpoint whose snapshot writes the batch
   * @return the pending instant with its write statuses
   * @throws HudiSinkException if Hudi reports write errors; the instant is rolled back first
   */
  PendingCommit write(List<BufferedRow> rows, long checkpointId) {
    return write(rows, checkpointId, fp -> null);
  }

  /**
   * As {@link #write(List, long)}, reading rows buffered under an earlier schema of the table (a schema change the
   * pipeline evolved through) with that schema, resolved to the current one (Avro schema resolution: added nullable
   * fields read as null).
   *
   * @param schemaOf the schema JSON of a row's {@link BufferedRow#schemaFingerprint}, or null when unknown
   * @throws IllegalStateException if a row's schema is neither the current one nor known to {@code schemaOf}
   */
  PendingCommit write(List<BufferedRow> rows, long checkpointId, java.util.function.LongFunction<String> schemaOf) {
    List<HoodieRecord<HoodieRecordPayload>> records = new ArrayList<>(rows.size());
    long maxOrdering = Long.MIN_VALUE;
    for (BufferedRow r : rows) {
      maxOrdering = Math.max(maxOrdering, r.ordering);
      GenericRecord row = r.schemaFingerprint == 0 || r.schemaFingerprint == fingerprint
          ? decode(r.avro)
          : decodeOlder(r, schemaOf);
      HoodieKey key = new HoodieKey(r.recordKey, r.partitionPath);
      records.add(new HoodieAvroRecord<>(key, new DefaultHoodieRecordPayload(row, r.ordering)));
    }
    long start = System.nanoTime();
    String instant = client.startCommit();
    List<WriteStatus> statuses = client.upsert(records, instant);
    List<WriteStatus> failed = statuses.stream().filter(WriteStatus::hasErrors).collect(Collectors.toList());
    if (!failed.isEmpty()) {
      WriteStatus first = failed.get(0);
      Throwable cause = first.getGlobalError() != null ? first.getGlobalError()
          : first.getErrors().values().stream().findFirst().orElse(null);
      long errors = failed.stream().mapToLong(WriteStatus::getTotalErrorRecords).sum();
      try {
        client.rollback(instant);
      } catch (RuntimeException e) {
        LOG.warn("Sink {}: rollback of failed instant {} of {} failed; the next write rolls it back", config.sinkName(),
            instant, basePath, e);
      }
      throw new HudiSinkException(
          "sink " + config.sinkName() + ", table " + tableId + ": Hudi failed to write " + errors + " of "
              + records.size() + " rows to " + basePath + " (instant " + instant + ")", cause);
    }
    PendingCommit p = new PendingCommit(checkpointId, instant, serialize(new ArrayList<>(statuses)), records.size());
    p.maxOrdering = maxOrdering;
    LOG.info("Sink {}: wrote {} rows of {} to {} under instant {} for checkpoint {} in {} ms ({} bytes of write"
        + " statuses)", config.sinkName(), records.size(), tableId, basePath, instant, checkpointId,
        (System.nanoTime() - start) / 1_000_000, p.writeStatuses.length);
    return p;
  }

  /**
   * Commits a pending instant, storing the checkpoint id in the commit metadata; does nothing if the instant is
   * already complete (a commit that ran before a failure, or twice).
   *
   * @param checkpointId the completed checkpoint that triggers the commit (>= the pending one's)
   * @return true if this call completed the instant, false if it was already complete (or archived: older than the
   *     active timeline)
   * @throws HudiSinkException if the instant is on the timeline neither as pending nor as complete (it was rolled
   *     back, for example by another writer): its rows are lost to this sink, so the job must not go on
   */
  boolean commit(PendingCommit p, long checkpointId) {
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(storageConf).setBasePath(basePath).build();
    HoodieTimeline timeline = meta.getActiveTimeline();
    if (timeline.filterCompletedInstants().containsInstant(p.instantTime)) {
      LOG.info("Sink {}: instant {} of {} is already committed", config.sinkName(), p.instantTime, basePath);
      return false;
    }
    if (!timeline.filterInflightsAndRequested().containsInstant(p.instantTime)) {
      if (timeline.filterCompletedInstants().isBeforeTimelineStarts(p.instantTime)) {
        // only completed instants are archived: restoring an old savepoint or checkpoint finds its commit there
        LOG.warn("Sink {}: instant {} of {} (checkpoint {}) is older than the active timeline, so it was committed"
            + " and archived", config.sinkName(), p.instantTime, basePath, p.checkpointId);
        return false;
      }
      throw new HudiSinkException(
          "sink " + config.sinkName() + ", table " + tableId + ": instant " + p.instantTime + " (checkpoint "
              + p.checkpointId + ", " + p.records + " rows) is no longer on the timeline of " + basePath
              + "; another writer probably rolled it back. Tributary must be the only writer of a Hudi table");
    }
    List<WriteStatus> statuses = deserialize(p.writeStatuses);
    Map<String, String> extra = new HashMap<>();
    extra.put(CHECKPOINT_ID_KEY, String.valueOf(checkpointId));
    extra.put(SINK_KEY, config.sinkName());
    extra.put(MAX_ORDERING_KEY, String.valueOf(p.maxOrdering));
    long start = System.nanoTime();
    boolean ok =
        shielded(
            () -> {
              client.setOperationType(WriteOperationType.UPSERT);
              return client.commit(p.instantTime, statuses, Option.of(extra));
            });
    if (!ok) {
      throw new HudiSinkException(
          "sink " + config.sinkName() + ", table " + tableId + ": Hudi refused to commit instant " + p.instantTime
              + " on " + basePath);
    }
    LOG.info("Sink {}: committed instant {} of {} ({} rows, checkpoint {}) in {} ms", config.sinkName(),
        p.instantTime, basePath, p.records, checkpointId, (System.nanoTime() - start) / 1_000_000);
    return true;
  }

  /**
   * Brings the table to a clean state after a restore: commits the restored pending instant (if any; its
   * checkpoint completed, or the job would not restore from it), then rolls back every other pending write (files
   * written for a checkpoint that never completed) and finishes interrupted compactions.
   *
   * @param pending the instant restored from Flink state, or null
   * @param checkpointId the checkpoint restored from (for the commit metadata)
   */
  void recover(PendingCommit pending, long checkpointId) {
    if (pending != null) {
      commit(pending, checkpointId);
    }
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(storageConf).setBasePath(basePath).build();
    List<String> stale = meta.getActiveTimeline().filterPendingExcludingCompaction().getInstantsAsStream()
        .map(HoodieInstant::requestedTime).collect(Collectors.toList());
    if (!stale.isEmpty()) {
      LOG.info("Sink {}: rolling back pending instants {} of {} (their checkpoints never completed)",
          config.sinkName(), stale, basePath);
      client.rollbackFailedWrites(meta);
    }
    if (config.tableType() == HudiTableType.MERGE_ON_READ) {
      HoodieTableMetaClient reloaded = HoodieTableMetaClient.reload(meta);
      List<String> compactions = reloaded.getActiveTimeline().filterPendingCompactionTimeline().getInstantsAsStream()
          .map(HoodieInstant::requestedTime).collect(Collectors.toList());
      for (String c : compactions) {
        LOG.info("Sink {}: finishing interrupted compaction {} of {}", config.sinkName(), c, basePath);
        compact(c);
      }
    }
  }

  /**
   * MERGE_ON_READ: schedules a compaction when {@code compaction.delta.commits} delta commits have accumulated since
   * the last one, runs it and commits it. COPY_ON_WRITE: does nothing.
   *
   * @return the compaction instant, or null when none was due
   */
  String compactIfDue() {
    if (config.tableType() != HudiTableType.MERGE_ON_READ) {
      return null;
    }
    Option<String> instant = client.scheduleCompaction(Option.empty());
    if (!instant.isPresent()) {
      return null;
    }
    compact(instant.get());
    return instant.get();
  }

  private void compact(String instant) {
    long start = System.nanoTime();
    HoodieWriteMetadata<List<WriteStatus>> result = client.compact(instant);
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(storageConf).setBasePath(basePath).build();
    if (!meta.getActiveTimeline().filterCompletedInstants().containsInstant(instant)) {
      shielded(
          () -> {
            client.commitCompaction(instant, result, Option.empty());
            return null;
          });
    }
    LOG.info("Sink {}: compacted {} (instant {}) in {} ms", config.sinkName(), basePath, instant,
        (System.nanoTime() - start) / 1_000_000);
  }

  /** The timeline's instants, for tests and logs: {@code requestedTime action state}. */
  List<String> timeline() {
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(storageConf).setBasePath(basePath).build();
    return meta.getActiveTimeline().getInstantsAsStream()
        .map(i -> i.requestedTime() + " " + i.getAction() + " " + i.getState())
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      shield.shutdown();
    }
  }

  /**
   * Runs a timeline-completing action so that an interrupt of the calling thread cannot cut it short: Flink interrupts
   * the task thread when it cancels a task (failover), and a commit interrupted halfway can leave a half-written
   * timeline or metadata-table file. The caller waits for the action to finish (a commit takes well under a second),
   * then sees its interrupt flag restored.
   */
  private <T> T shielded(Callable<T> action) {
    Future<T> f = shield.submit(action);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof RuntimeException) {
            throw (RuntimeException) c;
          }
          if (c instanceof Error) {
            throw (Error) c;
          }
          throw new HudiSinkException("sink " + config.sinkName() + ", table " + tableId + ": " + c, c);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------------

  private GenericRecord decodeOlder(BufferedRow r, java.util.function.LongFunction<String> schemaOf) {
    if (olderReaders == null) {
      olderReaders = new java.util.HashMap<>();
    }
    GenericDatumReader<GenericRecord> older = olderReaders.get(r.schemaFingerprint);
    if (older == null) {
      String json = schemaOf.apply(r.schemaFingerprint);
      if (json == null) {
        throw new IllegalStateException("table " + tableId + ": a buffered row was written with a schema (fingerprint "
            + r.schemaFingerprint + ") that is neither the current one nor recorded in the sink's state");
      }
      older = new GenericDatumReader<>(new Schema.Parser().parse(json), schema);
      olderReaders.put(r.schemaFingerprint, older);
    }
    decoder = DecoderFactory.get().binaryDecoder(r.avro, decoder);
    try {
      return older.read(null, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a buffered row of " + tableId + " written with an older schema", e);
    }
  }

  private GenericRecord decode(byte[] avro) {
    decoder = DecoderFactory.get().binaryDecoder(avro, decoder);
    try {
      return reader.read(null, decoder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode a buffered row of " + tableId, e);
    }
  }

  /** Avro binary of a row of {@code schema}. */
  static byte[] encode(GenericDatumWriter<GenericRecord> writer, GenericRecord row) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(row, enc);
      enc.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] serialize(ArrayList<WriteStatus> statuses) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(statuses);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize Hudi write statuses", e);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static List<WriteStatus> deserialize(byte[] bytes) {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes)) {
          @Override
          protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
              return Class.forName(desc.getName(), false, HudiTableWriter.class.getClassLoader());
            } catch (ClassNotFoundException e) {
              return super.resolveClass(desc);
            }
          }
        }) {
      return (List<WriteStatus>) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot read Hudi write statuses from Flink state", e);
    }
  }

  @Override
  public String toString() {
    return "HudiTableWriter{" + tableId + " -> " + basePath + " " + config.tableType() + "}";
  }
}
