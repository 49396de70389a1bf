package io.tributary.sink.hudi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Hudi writer: a keyed operator (key = table id string, so each table has exactly one writing and committing
 * subtask) that turns change events into one Hudi commit per completed checkpoint, exactly once.
 *
 * <p>Per table, in keyed Flink state:
 *
 * <ul>
 *   <li>{@code buffer}: the converted changes since the last write ({@link BufferedRow}s);
 *   <li>{@code pending}: at most one {@link PendingCommit}, an instant written but not yet committed;
 *   <li>{@code tombstones}: record key to ordering of recently deleted keys (TTL {@code tombstone.retention}).
 * </ul>
 *
 * <p>Protocol:
 *
 * <ol>
 *   <li>{@link #processElement}: convert (fail fast on bad values) and append to the table's buffer.
 *   <li>{@link #snapshotState} (checkpoint n, synchronous part): for each table with buffered rows and no pending
 *       instant, de-duplicate the buffer (per key the highest ordering wins, the later change on a tie), drop
 *       changes that a remembered delete outranks, write them under a new Hudi instant, and keep that instant as
 *       pending in the state of checkpoint n. A table that still has a pending instant (its completion notice has not
 *       arrived yet) keeps its buffer for the next checkpoint: Hudi rolls back a pending instant whenever a new one
 *       starts (STACK.md pitfall 15).
 *   <li>With {@code commit.interval} > 0, a table written less than that long ago keeps its buffer at a checkpoint
 *       (the rows stay in checkpointed state, so nothing is lost on failure), unless it holds {@value
 *       #MAX_DEFERRED_ROWS} rows or more. The savepoint of a stop (synchronous; Flink reports the snapshot type to
 *       {@link #snapshotState(long, long, org.apache.flink.runtime.checkpoint.CheckpointOptions,
 *       org.apache.flink.runtime.state.CheckpointStreamFactory)}) and the end of input always write.
 *   <li>An intermediate savepoint (the job goes on) writes nothing: Flink sends no completion notice for it, so an
 *       instant written for it could be rolled back by a restore from an earlier checkpoint while a later restore from
 *       the savepoint would still expect it. Its buffer is in the savepoint and is written after a restore from it.
 *   <li>{@link #notifyCheckpointComplete} (checkpoint m): commit every pending instant of a checkpoint <= m, with m
 *       in the commit metadata ({@code tributary.checkpoint.id}), then, on MERGE_ON_READ, compact if due. Rows that
 *       were carried past a checkpoint <= m (previous step) are then written and committed at once, so that the
 *       table never lags behind a completed checkpoint it wrote for, not even after the final savepoint of a stopped
 *       job.
 *   <li>Restore from checkpoint n ({@link #open}): for every table this subtask owns, commit the pending instant
 *       restored from n (n completed, so its data is part of the result), then roll back every other pending
 *       instant (written for a checkpoint that never completed; the source replays its changes) and finish
 *       interrupted compactions. Only then are new instants started.
 * </ol>
 *
 * <p>At end of input (bounded sources), Flink takes a final checkpoint and waits for its notice. Should a pending
 * instant still wait for its own notice at that point, it is committed in the final snapshot before the rest is
 * written: all input has arrived, and a replay after a failure rewrites the same rows with the same ordering values,
 * which Hudi resolves to the same result.
 *
 * <p>Memory: a checkpoint's changes stay in state until the checkpoint, and the de-duplicated batch of a table is
 * held in memory while Hudi writes it. Very large checkpoints (say more than 100k changes per table) are written in
 * one go; shorten {@code pipeline.checkpoint.interval} to bound them.
 *
 * <p>Metrics, in group {@code tributary.sink.<sinkName>}: {@code recordsWritten} (rows committed to Hudi, after
 * de-duplication) and {@code commits}.
 */
final class HudiWriteOperator extends AbstractStreamOperator<Void>
    implements OneInputStreamOperator<ChangeEvent, Void>, BoundedOneInput {
  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = LoggerFactory.getLogger(HudiWriteOperator.class);

  static final String BUFFER_STATE = "hudi-buffer";
  static final String PENDING_STATE = "hudi-pending";
  static final String TOMBSTONE_STATE = "hudi-tombstones";
  /** Keyed by table: schema JSON per parsing fingerprint of every schema buffered rows were written with. */
  static final String ROW_SCHEMA_STATE = "hudi-row-schemas";

  /** Metric: rows committed to Hudi. */
  public static final String RECORDS_WRITTEN = "recordsWritten";
  /** Metric: Hudi commits completed. */
  public static final String COMMITS = "commits";

  private final HudiSinkConfig config;
  private final List<TableSchema> tables;

  private transient Map<String, TableSchema> tablesByKey;
  private transient Map<String, HudiRowEncoder> encoders;
  private transient Map<String, HudiTableWriter> writers;
  private transient ListState<BufferedRow> buffer;
  private transient ValueState<PendingCommit> pending;
  private transient MapState<String, Long> tombstones;
  private transient MapState<Long, String> rowSchemas;
  private transient long restoredCheckpointId;
  private transient boolean endOfInput;
  /** Per table whose buffer was carried past a checkpoint: {checkpoint id, rows of the buffer in that checkpoint}. */
  private transient Map<String, long[]> carried;
  /** Per table: {@link System#nanoTime()} of its last write, for {@code commit.interval}. */
  private transient Map<String, Long> lastWrite;
  /** Whether the snapshot being taken is the synchronous savepoint of a stop (which writes everything buffered). */
  private transient boolean stopSavepoint;
  /** Whether the snapshot being taken is an intermediate savepoint (which writes nothing). */
  private transient boolean intermediateSavepoint;
  /** Per table: rows added to its buffer since its last write in this run (a lower bound after a restore). */
  private transient Map<String, Long> bufferedRows;

  /** A table whose buffer holds this many rows is written at the next checkpoint whatever {@code commit.interval}. */
  static final long MAX_DEFERRED_ROWS = 200_000;
  private transient Counter recordsWritten;
  private transient Counter commits;

  HudiWriteOperator(HudiSinkConfig config, List<TableSchema> tables) {
    this.config = config;
    this.tables = List.copyOf(tables);
  }

  /** The state key of a table: {@link io.tributary.schema.TableId#toString()}. */
  static String key(ChangeEvent e) {
    return e.tableId().toString();
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    buffer = context.getKeyedStateStore().getListState(new ListStateDescriptor<>(BUFFER_STATE, TypeInformation.of(BufferedRow.class)));
    pending = context.getKeyedStateStore().getState(new ValueStateDescriptor<>(PENDING_STATE, TypeInformation.of(PendingCommit.class)));
    MapStateDescriptor<String, Long> tombstoneDescriptor = new MapStateDescriptor<>(TOMBSTONE_STATE, Types.STRING, Types.LONG);
    Duration retention = config.tombstoneRetention();
    // TTL is always on (1 ms when remembering is off, and then nothing is written): Flink refuses to restore state
    // whose TTL setting changed, so switching tombstone.retention between 0 and a duration must not change it.
    tombstoneDescriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(retention.isZero() ? Duration.ofMillis(1) : retention)
            .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
            .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
            .cleanupFullSnapshot()
            .build());
    tombstones = context.getKeyedStateStore().getMapState(tombstoneDescriptor);
    rowSchemas = context.getKeyedStateStore().getMapState(
        new MapStateDescriptor<>(ROW_SCHEMA_STATE, Types.LONG, Types.STRING));
    OptionalLong restored = context.getRestoredCheckpointId();
    restoredCheckpointId = restored.isPresent() ? restored.getAsLong() : -1L;
  }

  @Override
  public void open() throws Exception {
    super.open();
    MetricGroup group = getMetricGroup().addGroup("tributary").addGroup("sink").addGroup(config.sinkName());
    recordsWritten = group.counter(RECORDS_WRITTEN);
    commits = group.counter(COMMITS);
    tablesByKey = new HashMap<>();
    for (TableSchema t : tables) {
      tablesByKey.put(t.tableId().toString(), t);
    }
    encoders = new HashMap<>();
    writers = new HashMap<>();
    carried = new HashMap<>();
    lastWrite = new HashMap<>();
    bufferedRows = new HashMap<>();
    TaskInfo task = getRuntimeContext().getTaskInfo();
    for (String key : tablesByKey.keySet()) {
      int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(
          key, task.getMaxNumberOfParallelSubtasks(), task.getNumberOfParallelSubtasks());
      if (owner != task.getIndexOfThisSubtask()) {
        continue; // another subtask owns this table
      }
      setCurrentKey(key);
      PendingCommit p = pending.value();
      writer(key).recover(p, restoredCheckpointId);
      if (p != null) {
        pending.clear();
        recordsWritten.inc(p.records);
        commits.inc();
      }
    }
  }

  @Override
  public void processElement(StreamRecord<ChangeEvent> element) throws Exception {
    ChangeEvent e = element.getValue();
    String key = key(e);
    buffer.add(encoder(key).encode(e));
    bufferedRows.merge(key, 1L, Long::sum);
  }

  @Override
  public void endInput() {
    endOfInput = true;
  }

  @Override
  public org.apache.flink.streaming.api.operators.OperatorSnapshotFutures snapshotState(long checkpointId,
      long timestamp, org.apache.flink.runtime.checkpoint.CheckpointOptions options,
      org.apache.flink.runtime.state.CheckpointStreamFactory factory) throws Exception {
    org.apache.flink.runtime.checkpoint.SnapshotType type = options.getCheckpointType();
    boolean synchronous = type instanceof org.apache.flink.runtime.checkpoint.SavepointType t && t.isSynchronous();
    stopSavepoint = type.isSavepoint() && synchronous;
    intermediateSavepoint = type.isSavepoint() && !synchronous;
    return super.snapshotState(checkpointId, timestamp, options, factory);
  }

  /** Whether {@code commit.interval} holds the table's buffer back at this checkpoint. */
  private boolean deferred(String key) {
    if (endOfInput || stopSavepoint || config.commitInterval().isZero()
        || bufferedRows.getOrDefault(key, 0L) >= MAX_DEFERRED_ROWS) {
      return false;
    }
    Long last = lastWrite.get(key);
    return last != null && System.nanoTime() - last < config.commitInterval().toNanos();
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    long checkpointId = context.getCheckpointId();
    if (intermediateSavepoint && !endOfInput) {
      LOGGER.info("Sink {}: savepoint {} keeps the buffered rows in state (an intermediate savepoint is never"
          + " confirmed, so nothing is written for it)", config.sinkName(), checkpointId);
      return;
    }
    for (String key : keys(BUFFER_STATE)) {
      setCurrentKey(key);
      PendingCommit p = pending.value();
      if (p != null) {
        if (!endOfInput) {
          long rows = 0;
          for (BufferedRow ignored : buffer.get()) {
            rows++;
          }
          carried.put(key, new long[] {checkpointId, rows});
          LOGGER.info("Sink {}: table {} still waits for the commit of {}; its {} buffered rows go into checkpoint {}"
              + " and are committed when that checkpoint completes", config.sinkName(), key, p, rows, checkpointId);
          continue;
        }
        commit(key, p, checkpointId);
      }
      if (deferred(key)) {
        continue; // stays in the buffer (checkpointed state) until the commit interval has passed
      }
      carried.remove(key);
      flush(key, checkpointId, Long.MAX_VALUE);
    }
  }

  /**
   * Writes the first {@code limit} rows of the current table's buffer (in arrival order) under a new instant and keeps
   * the rest buffered; state changes only once Hudi has written the files.
   */
  private void flush(String key, long checkpointId, long limit) throws Exception {
    Map<String, BufferedRow> latest = new LinkedHashMap<>();
    List<BufferedRow> rest = new ArrayList<>();
    long taken = 0;
    for (BufferedRow r : buffer.get()) {
      if (taken++ < limit) {
        latest.merge(r.recordKey, r, (old, now) -> now.ordering >= old.ordering ? now : old);
      } else {
        rest.add(r);
      }
    }
    boolean tombstonesOn = !config.tombstoneRetention().isZero();
    List<BufferedRow> rows = new ArrayList<>(latest.size());
    Map<String, Long> newTombstones = new HashMap<>();
    List<String> cleared = new ArrayList<>();
    int dropped = 0;
    for (BufferedRow r : latest.values()) {
      if (tombstonesOn) {
        Long deletedAt = tombstones.get(r.recordKey);
        if (r.delete) {
          if (deletedAt == null || r.ordering > deletedAt) {
            newTombstones.put(r.recordKey, r.ordering);
          }
        } else if (deletedAt != null) {
          if (r.ordering <= deletedAt) {
            dropped++;
            continue; // a late change of a key deleted later: must not bring the row back
          }
          cleared.add(r.recordKey);
        }
      }
      rows.add(r);
    }
    if (dropped > 0) {
      LOGGER.info("Sink {}: dropped {} late changes of {} whose keys were deleted with a higher ordering",
          config.sinkName(), dropped, key);
    }
    if (!rows.isEmpty()) {
      pending.update(writer(key).write(rows, checkpointId, fp -> {
        try {
          return rowSchemas.get(fp);
        } catch (Exception ex) {
          throw new IllegalStateException("cannot read the row schemas of " + key, ex);
        }
      }));
      lastWrite.put(key, System.nanoTime());
    }
    bufferedRows.put(key, (long) rest.size());
    buffer.clear();
    if (!rest.isEmpty()) {
      buffer.addAll(rest);
    }
    tombstones.putAll(newTombstones);
    for (String k : cleared) {
      tombstones.remove(k);
    }
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    super.notifyCheckpointComplete(checkpointId);
    for (String key : keys(PENDING_STATE)) {
      setCurrentKey(key);
      PendingCommit p = pending.value();
      if (p != null && p.checkpointId <= checkpointId) {
        commit(key, p, checkpointId);
      }
    }
    // Rows carried past a completed checkpoint are part of it: write and commit them now rather than at the next
    // checkpoint, which may never come (a stop with savepoint ends the job right after this notice). A replay after a
    // failure rewrites the same rows with the same ordering, which Hudi resolves to the same result.
    for (String key : new ArrayList<>(carried.keySet())) {
      long[] c = carried.get(key);
      if (c[0] > checkpointId) {
        continue;
      }
      setCurrentKey(key);
      if (pending.value() != null) {
        continue; // its own instant's checkpoint has not completed yet
      }
      carried.remove(key);
      flush(key, c[0], c[1]);
      PendingCommit written = pending.value();
      if (written != null) {
        commit(key, written, checkpointId);
      }
    }
  }

  private void commit(String key, PendingCommit p, long checkpointId) {
    HudiTableWriter w = writer(key);
    w.commit(p, checkpointId);
    pending.clear();
    recordsWritten.inc(p.records);
    commits.inc();
    w.compactIfDue();
  }

  /** The keys (tables) that have a value in a state, collected first: state is modified while walking them. */
  private List<String> keys(String state) {
    KeyedStateBackend<String> backend = getKeyedStateBackend();
    try (Stream<String> s = backend.getKeys(state, VoidNamespace.INSTANCE)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  /**
   * The encoder of a table, made on its first change in this run; its schema is then recorded in the table's keyed
   * state (the caller has set the key), so that rows buffered under it stay readable after a schema change.
   */
  private HudiRowEncoder encoder(String key) throws Exception {
    HudiRowEncoder enc = encoders.get(key);
    if (enc == null) {
      enc = new HudiRowEncoder(config, table(key));
      encoders.put(key, enc);
      if (!rowSchemas.contains(enc.fingerprint())) {
        rowSchemas.put(enc.fingerprint(), enc.schema().toString());
      }
    }
    return enc;
  }

  private HudiTableWriter writer(String key) {
    HudiTableWriter w = writers.get(key);
    if (w == null) {
      w = HudiTableWriter.open(config, table(key));
      writers.put(key, w);
    }
    return w;
  }

  private TableSchema table(String key) {
    TableSchema t = tablesByKey.get(key);
    if (t == null) {
      throw new HudiSinkException(
          "sink " + config.sinkName() + ": got a change of table " + key + ", which was not passed to prepare(tables);"
              + " known tables: " + tablesByKey.keySet());
    }
    return t;
  }

  @Override
  public void close() throws Exception {
    try {
      if (writers != null) {
        for (HudiTableWriter w : writers.values()) {
          try {
            w.close();
          } catch (RuntimeException e) {
            LOGGER.warn("Sink {}: closing the Hudi writer of {} failed", config.sinkName(), w.basePath(), e);
          }
        }
        writers.clear();
      }
    } finally {
      super.close();
    }
  }
}
