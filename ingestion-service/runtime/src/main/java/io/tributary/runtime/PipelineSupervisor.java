package io.tributary.runtime;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.SchemaChangeBehavior;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.config.spi.SchemaChangeException;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline embedded through its schema changes: starts a {@link LocalPipelineRunner}, and when the job stops
 * because a source table's columns changed under {@code schema.change.behavior: evolve} (a {@link
 * SchemaChangeException} in its failure), plans the pipeline again (the source's catalog now has the new columns),
 * lets the sinks prepare the new schemas (the Kafka sink registers a new version under the subject's compatibility
 * level; the Hudi sink checks that the table can evolve) and resumes from the last checkpoint. The job stopped
 * before the first change of the new shape reached a sink, and every change after the checkpoint is read again, so
 * nothing is lost or written twice.
 *
 * <p>A change the sinks refuse (the registry answers incompatible) ends the run with a message naming the table,
 * the columns, the DDL, the subject and the compatibility level; the checkpoints stay, so running the pipeline again
 * once the owner has resolved it resumes from the same place.
 *
 * <p>Columns dropped in the source become retired columns of the table ({@link TableSchema#retiredColumns()}),
 * remembered in {@code <stateDir>/retired-columns.txt}, so that changes replayed from before the drop are read
 * without stopping again.
 *
 * <p>Not thread-safe except {@link #stop} and {@link #close}, which may be called from another thread.
 */
public final class PipelineSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineSupervisor.class);

  /** At most this many schema-change restarts in a row without a completed checkpoint in between. */
  static final int MAX_RELAUNCHES = 20;

  private final PipelineDefinition definition;
  private final FactoryRegistry factories;
  private final Path stateDir;
  private final int restartAttempts;
  private final Consumer<String> notices;
  private final Duration discoveryInterval;
  private long nextDiscovery;
  private volatile LocalPipelineRunner runner;
  private volatile boolean stopping;
  private final List<String> schemaChanges = new ArrayList<>();
  private Exception failure;
  private boolean done;

  private PipelineSupervisor(
      PipelineDefinition definition,
      FactoryRegistry factories,
      Path stateDir,
      int restartAttempts,
      Consumer<String> notices,
      Duration discoveryInterval) {
    this.discoveryInterval = discoveryInterval == null ? Duration.ZERO : discoveryInterval;
    this.nextDiscovery = System.nanoTime() + this.discoveryInterval.toNanos();
    this.definition = definition;
    this.factories = factories;
    this.stateDir = stateDir;
    this.restartAttempts = restartAttempts;
    this.notices = notices;
  }

  /**
   * Starts the pipeline of {@code plan} (with the retired columns remembered in the state directory).
   *
   * @param factories the factories that made {@code plan}, used again to plan after a schema change
   * @param notices receives one line per schema change the pipeline evolved through (for the terminal)
   * @throws Exception as {@link LocalPipelineRunner#start} throws
   */
  public static PipelineSupervisor start(
      PipelinePlan plan, FactoryRegistry factories, Path stateDir, int restartAttempts, Consumer<String> notices)
      throws Exception {
    return start(plan, factories, stateDir, restartAttempts, notices, Duration.ZERO);
  }

  /**
   * As {@link #start(PipelinePlan, FactoryRegistry, Path, int, Consumer)}, and every {@code discoveryInterval} runs
   * the source's discovery again: when tables matching the declaration appeared (a whole-database pipeline, a table
   * created while it runs), it stops the job with a savepoint and starts it again with them; Flink CDC's
   * newly-added-table scan snapshots only the new tables and the others resume where they were.
   *
   * @param discoveryInterval time between discoveries; zero turns it off
   * @throws Exception as {@link LocalPipelineRunner#start} throws
   */
  public static PipelineSupervisor start(
      PipelinePlan plan,
      FactoryRegistry factories,
      Path stateDir,
      int restartAttempts,
      Consumer<String> notices,
      Duration discoveryInterval)
      throws Exception {
    PipelineSupervisor s =
        new PipelineSupervisor(plan.definition(), factories, stateDir, restartAttempts, notices, discoveryInterval);
    s.runner = LocalPipelineRunner.start(withRetired(plan, readRetired(stateDir)), stateDir, restartAttempts);
    return s;
  }

  /** The runner of the current job. */
  public LocalPipelineRunner runner() {
    return runner;
  }

  /** One line per schema change evolved through so far, in order. */
  public synchronized List<String> schemaChanges() {
    return List.copyOf(schemaChanges);
  }

  /**
   * Whether the pipeline has ended (finished, stopped, or failed for good). When the current job stopped for a schema
   * change under evolve, this plans and starts the next job first (blocking for the planning, the sinks' preparation
   * and the submission, typically a few seconds) and returns false.
   */
  public synchronized boolean isDone() {
    if (done) {
      return true;
    }
    if (!runner.isDone()) {
      if (!stopping && !discoveryInterval.isZero() && System.nanoTime() - nextDiscovery >= 0) {
        nextDiscovery = System.nanoTime() + discoveryInterval.toNanos();
        try {
          addNewTables();
        } catch (Exception e) {
          failure = e;
          done = true;
          runner.close();
          return true;
        }
      }
      return false;
    }
    try {
      runner.awaitTermination();
      done = true;
      return true;
    } catch (Exception e) {
      Optional<SchemaChangeException> change = SchemaChangeException.find(e);
      if (stopping || change.isEmpty() || change.get().behavior() != SchemaChangeBehavior.EVOLVE) {
        failure = e;
        done = true;
        return true;
      }
      try {
        relaunch(change.get());
        return false;
      } catch (Exception relaunchFailure) {
        failure = relaunchFailure;
        done = true;
        return true;
      }
    }
  }

  private void relaunch(SchemaChangeException change) throws Exception {
    if (schemaChanges.size() >= MAX_RELAUNCHES) {
      throw new IllegalStateException("the pipeline restarted " + MAX_RELAUNCHES + " times for schema changes; "
          + "stopping. Last: " + change.getMessage());
    }
    PipelinePlan previous = runner.plan();
    PipelinePlan next = PipelinePlanner.plan(definition, factories);
    next = withRetired(next, retiredColumns(previous, next));
    TableSchema before = table(previous, change.table());
    TableSchema after = table(next, change.table());
    if (before != null && after != null && before.columns().equals(after.columns())) {
      throw new IllegalStateException(change.getMessage() + ". But the source's catalog still shows the columns the "
          + "pipeline runs with (" + before.columnNames() + "), so planning again would not help; if the table changed "
          + "and changed back, stop the pipeline and run it again from its last checkpoint with "
          + "schema.change.behavior: ignore until the log is past the change");
    }
    String line = "Schema change in table " + change.table() + ": "
        + (after == null ? "the table is gone from the catalog" : describe(before, after))
        + (change.ddl() != null ? "; DDL: " + change.ddl() : "")
        + ". Evolving: registering the new schema and resuming from the last checkpoint";
    LOG.info("{}", line);
    notices.accept(line);
    schemaChanges.add(line);
    writeRetired(stateDir, next);
    try {
      runner = LocalPipelineRunner.start(next, stateDir, restartAttempts);
    } catch (Exception e) {
      throw new SchemaEvolutionException("Schema change in table " + change.table() + " cannot evolve ("
          + (after == null ? "table gone" : describe(before, after))
          + "; DDL: " + (change.ddl() != null ? change.ddl() : "not in the source's log") + "): " + e.getMessage()
          + ". Nothing of the new shape was written; the pipeline resumes from its last checkpoint when run again "
          + "once this is resolved (for example make the change compatible, or change the subject's compatibility level)",
          e);
    }
  }

  /**
   * Discovers the source's tables again; when new ones match, stops the job with a savepoint and starts it again with
   * them. A discovery that fails or reports problems is logged and retried at the next interval.
   */
  private void addNewTables() throws Exception {
    PipelinePlan current = runner.plan();
    SourceDiscovery found;
    try {
      found = current.source().discover();
    } catch (Exception e) {
      LOG.warn("Table discovery failed; trying again in {}: {}", discoveryInterval, e.getMessage());
      return;
    }
    if (!found.problems().isEmpty()) {
      LOG.warn("Table discovery found problems; not adding tables now: {}", found.problems());
      return;
    }
    Set<String> known = new TreeSet<>();
    current.tables().forEach(t -> known.add(t.tableId().toString()));
    List<String> added = new ArrayList<>();
    for (TableSchema t : found.tables()) {
      if (!known.contains(t.tableId().toString())) {
        added.add(t.tableId().toString());
      }
    }
    if (added.isEmpty()) {
      return;
    }
    String line = "New table(s) " + added + " match the pipeline's tables: stopping with a savepoint and starting "
        + "again with them (only they are snapshotted; the other tables resume where they were)";
    LOG.info("{}", line);
    notices.accept(line);
    runner.stop(Duration.ofMinutes(3));
    PipelinePlan next = PipelinePlanner.plan(definition, factories);
    next = withRetired(next, readRetired(stateDir));
    runner = LocalPipelineRunner.start(next, stateDir, restartAttempts);
  }

  /** A schema change the sinks refused; the message names table, columns, DDL and the sink's reason. */
  public static final class SchemaEvolutionException extends Exception {
    private static final long serialVersionUID = 1L;

    SchemaEvolutionException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Waits until the pipeline has ended; see {@link #isDone()}.
   *
   * @throws Exception the final failure: the job's failure cause, or a {@link SchemaEvolutionException}
   */
  public void awaitTermination() throws Exception {
    while (!isDone()) {
      Thread.sleep(200);
    }
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
    }
  }

  /**
   * Stops the current job with a savepoint; see {@link LocalPipelineRunner#stop}.
   *
   * @return the savepoint path
   * @throws Exception if the savepoint fails within {@code timeout}
   */
  public String stop(Duration timeout) throws Exception {
    stopping = true;
    return runner.stop(timeout);
  }

  /** Stops the current job (savepoint, else cancel) if it still runs. */
  @Override
  public void close() {
    stopping = true;
    runner.close();
  }

  private static TableSchema table(PipelinePlan plan, String table) {
    for (TableSchema t : plan.tables()) {
      if (t.tableId().toString().equals(table)) {
        return t;
      }
    }
    return null;
  }

  /** {@code column(s) added email (varchar); dropped note; type changed qty (int4 -> int8)}. */
  static String describe(TableSchema before, TableSchema after) {
    if (before == null) {
      return "new table";
    }
    List<String> added = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (Column c : after.columns()) {
      Optional<Column> old = before.column(c.name());
      if (old.isEmpty()) {
        added.add(c.name() + " (" + c.sourceType() + (c.nullable() ? "" : " NOT NULL") + ")");
      } else if (!old.get().equals(c)) {
        changed.add(c.name() + " (" + old.get().sourceType() + (old.get().nullable() ? "" : " NOT NULL") + " -> "
            + c.sourceType() + (c.nullable() ? "" : " NOT NULL") + ")");
      }
    }
    for (Column c : before.columns()) {
      if (after.column(c.name()).isEmpty()) {
        dropped.add(c.name());
      }
    }
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("column(s) added " + String.join(", ", added));
    }
    if (!dropped.isEmpty()) {
      parts.add("dropped " + String.join(", ", dropped));
    }
    if (!changed.isEmpty()) {
      parts.add("changed " + String.join(", ", changed));
    }
    return parts.isEmpty() ? "columns unchanged" : String.join("; ", parts);
  }

  /** Per table ({@code TableId#toString()}): the previous plan's retired columns plus its columns that the next plan lacks (and does not re-add). */
  static Map<String, Set<String>> retiredColumns(PipelinePlan previous, PipelinePlan next) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (TableSchema old : previous.tables()) {
      TableSchema now = table(next, old.tableId().toString());
      if (now == null) {
        continue;
      }
      Set<String> retired = new TreeSet<>(old.retiredColumns());
      for (Column c : old.columns()) {
        retired.add(c.name());
      }
      retired.removeAll(now.columnNames());
      if (!retired.isEmpty()) {
        out.put(old.tableId().toString(), retired);
      }
    }
    return out;
  }

  /** The plan with these retired columns on its tables (columns the tables have again are left out). */
  static PipelinePlan withRetired(PipelinePlan plan, Map<String, Set<String>> retired) {
    if (retired.isEmpty()) {
      return plan;
    }
    List<TableSchema> tables = new ArrayList<>();
    for (TableSchema t : plan.tables()) {
      Set<String> r = new LinkedHashSet<>(retired.getOrDefault(t.tableId().toString(), Set.of()));
      r.removeAll(t.columnNames());
      tables.add(r.isEmpty() ? t : t.withRetiredColumns(List.copyOf(r)));
    }
    SourceDiscovery d = plan.discovery();
    return new PipelinePlan(plan.definition(), plan.source(), plan.sinks(),
        new SourceDiscovery(tables, d.estimatedRows(), d.problems(), d.warnings()));
  }

  /** {@code <stateDir>/retired-columns.txt}: one {@code table<TAB>column} per line. */
  static Path retiredFile(Path stateDir) {
    return stateDir.resolve("retired-columns.txt");
  }

  static Map<String, Set<String>> readRetired(Path stateDir) {
    Path file = retiredFile(stateDir);
    Map<String, Set<String>> out = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        int tab = line.indexOf('\t');
        if (tab > 0) {
          out.computeIfAbsent(line.substring(0, tab), k -> new TreeSet<>()).add(line.substring(tab + 1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  static void writeRetired(Path stateDir, PipelinePlan plan) {
    List<String> lines = new ArrayList<>();
    for (TableSchema t : plan.tables()) {
      for (String c : t.retiredColumns()) {
        lines.add(t.tableId() + "\t" + c);
      }
    }
    try {
      Files.createDirectories(stateDir);
      Files.write(retiredFile(stateDir), lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + retiredFile(stateDir), e);
    }
  }
}
