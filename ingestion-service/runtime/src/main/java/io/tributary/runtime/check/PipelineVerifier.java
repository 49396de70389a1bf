package io.tributary.runtime.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * The consistency check behind {@code tributary verify}: compares every table of a pipeline in its source with its
 * latest state in each sink, on a running or a stopped pipeline.
 *
 * <ol>
 *   <li>Takes the source's log position {@code P} ({@link CheckSource#position()}) and waits until the pipeline has
 *       committed every change before {@code P} to its sinks ({@link CheckSource#status}), up to {@link
 *       Settings#timeout()}, then a short grace ({@link Settings#grace()}: the commit notifications of different
 *       operators are not ordered). A pipeline that is not running is not waited for: its sinks are compared as
 *       they are, in one round.
 *   <li>Round 1 reads every table in full: the source, then each sink ({@link CheckSink}).
 *   <li>Changes made after {@code P} show as differences on a busy source. So while differences remain and fewer
 *       than {@link Settings#rounds()} rounds have run, another round takes a newer position, waits again, and
 *       re-reads only the differing keys (the source by key, each topic folded again, each Hudi table queried
 *       again). A difference is reported only if it shows in every round; a key that changes in every round is
 *       reported too.
 * </ol>
 *
 * <p>Row counts in the result are those of the full read in round 1; the differences are those left after the last
 * round.
 */
public final class PipelineVerifier {
  private final CheckSource source;
  private final List<CheckSink> sinks;
  private final Settings settings;
  private final Consumer<String> progress;

  /**
   * @param source the pipeline's source
   * @param sinks the sinks to compare with, at least one
   * @param settings timeouts and rounds
   * @param progress receives one line per step (what is waited for, what is read), for people; never null
   */
  public PipelineVerifier(CheckSource source, List<CheckSink> sinks, Settings settings, Consumer<String> progress) {
    this.source = Objects.requireNonNull(source, "source");
    this.sinks = List.copyOf(sinks);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.progress = Objects.requireNonNull(progress, "progress");
    if (this.sinks.isEmpty()) {
      throw new IllegalArgumentException("no sink to verify");
    }
  }

  /**
   * Runs the check.
   *
   * @param tables the pipeline's tables (from its plan)
   * @return the comparisons, one per table and sink in table then sink order, with how the check went
   * @throws CheckException if a side cannot be read, the pipeline's log reader is missing, or the pipeline does not
   *     catch up within the timeout
   * @throws InterruptedException if interrupted while waiting
   */
  public Result verify(List<TableSchema> tables) throws CheckException, InterruptedException {
    long started = System.nanoTime();
    List<String> notes = new ArrayList<>();
    String start = source.position();
    ReaderStatus status = awaitCatchUp(start, 1);
    boolean running = status.running();
    if (!running) {
      notes.add(status.detail() + "; compared the sinks as they are, in one round");
    }

    // round 1: everything
    progress.accept("Round 1: reading " + tables.size() + " table(s) from the source and " + sinks.size()
        + " sink(s)");
    Map<TableId, TableRows> sourceRows = new LinkedHashMap<>();
    for (TableSchema t : tables) {
      sourceRows.put(t.tableId(), source.read(t));
    }
    Map<Pair, PairState> pairs = new LinkedHashMap<>();
    // canonical key values of every differing key, to look it up again in the source
    Map<TableId, Map<String, Map<String, String>>> keyValues = new HashMap<>();
    for (CheckSink sink : sinks) {
      Map<TableId, TableRows> read = sink.read(tables, null);
      for (TableSchema t : tables) {
        TableRows src = sourceRows.get(t.tableId());
        TableRows dst = read.get(t.tableId());
        SortedMap<String, TableComparison.Difference> diffs = TableComparison.differences(src, dst, null);
        pairs.put(new Pair(t.tableId(), sink.name()), new PairState(src.size(), dst.size(), diffs));
        Map<String, Map<String, String>> values = keyValues.computeIfAbsent(t.tableId(), k -> new HashMap<>());
        for (String key : diffs.keySet()) {
          Map<String, String> v = src.keyValues(key);
          values.putIfAbsent(key, v != null ? v : dst.keyValues(key));
        }
      }
    }
    sourceRows.clear();
    int rounds = 1;
    progress.accept("Round 1: " + summary(pairs));

    while (running && rounds < settings.rounds() && pairs.values().stream().anyMatch(p -> !p.diffs.isEmpty())) {
      rounds++;
      String target = source.position();
      status = awaitCatchUp(target, rounds);
      if (!status.running()) {
        running = false;
        notes.add("the pipeline stopped during the check (" + status.detail() + ")");
      }
      recheck(tables, pairs, keyValues, rounds);
      progress.accept("Round " + rounds + ": " + summary(pairs));
    }

    List<TableComparison> comparisons = new ArrayList<>();
    for (TableSchema t : tables) {
      for (CheckSink sink : sinks) {
        PairState p = pairs.get(new Pair(t.tableId(), sink.name()));
        comparisons.add(TableComparison.of(t.tableId().toString(), sink.name(), p.sourceRows, p.sinkRows,
            p.diffs.values()));
      }
    }
    return new Result(source.describe(), start, status.running(), rounds, comparisons, notes,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Re-reads the differing keys of every pair and keeps the differences that are still there. */
  private void recheck(
      List<TableSchema> tables, Map<Pair, PairState> pairs, Map<TableId, Map<String, Map<String, String>>> keyValues,
      int round) throws CheckException {
    Map<TableId, Set<String>> keysByTable = new LinkedHashMap<>();
    for (Map.Entry<Pair, PairState> e : pairs.entrySet()) {
      if (!e.getValue().diffs.isEmpty()) {
        keysByTable.computeIfAbsent(e.getKey().table, k -> new LinkedHashSet<>()).addAll(e.getValue().diffs.keySet());
      }
    }
    int keys = keysByTable.values().stream().mapToInt(Set::size).sum();
    progress.accept("Round " + round + ": re-reading " + keys + " differing key(s) of " + keysByTable.size()
        + " table(s)");
    Map<TableId, TableRows> sourceRows = new HashMap<>();
    for (TableSchema t : tables) {
      Set<String> k = keysByTable.get(t.tableId());
      if (k != null) {
        List<Map<String, String>> values = new ArrayList<>();
        for (String key : k) {
          values.add(keyValues.get(t.tableId()).get(key));
        }
        sourceRows.put(t.tableId(), source.read(t, values));
      }
    }
    for (CheckSink sink : sinks) {
      List<TableSchema> toRead = new ArrayList<>();
      Map<TableId, Set<String>> only = new HashMap<>();
      for (TableSchema t : tables) {
        PairState p = pairs.get(new Pair(t.tableId(), sink.name()));
        if (!p.diffs.isEmpty()) {
          toRead.add(t);
          only.put(t.tableId(), p.diffs.keySet());
        }
      }
      if (toRead.isEmpty()) {
        continue;
      }
      Map<TableId, TableRows> read = sink.read(toRead, only);
      for (TableSchema t : toRead) {
        PairState p = pairs.get(new Pair(t.tableId(), sink.name()));
        p.diffs = TableComparison.differences(sourceRows.get(t.tableId()), read.get(t.tableId()),
            List.copyOf(p.diffs.keySet()));
      }
    }
  }

  /**
   * Waits until the pipeline has committed every change before {@code target}. Returns without waiting for the
   * changes when nothing has read the log for {@link Settings#idleWait()} (a stopped pipeline); waits through the
   * initial snapshot.
   */
  private ReaderStatus awaitCatchUp(String target, int round) throws CheckException, InterruptedException {
    long begin = System.nanoTime();
    long deadline = begin + settings.timeout().toNanos();
    long lastShown = 0;
    long idleSince = -1;
    ReaderStatus.State shownState = null;
    while (true) {
      ReaderStatus st = source.status(target);
      long now = System.nanoTime();
      if (st.state() == ReaderStatus.State.IDLE) {
        if (idleSince < 0) {
          idleSince = now;
          if (!settings.idleWait().isZero()) {
            progress.accept("Round " + round + ": " + st.detail() + "; watching it for "
                + settings.idleWait().toSeconds() + " s in case the pipeline is starting or restarting");
          }
        }
        if (now - idleSince >= settings.idleWait().toNanos()) {
          progress.accept("Round " + round + ": " + st.detail());
          return st;
        }
      } else {
        idleSince = -1;
        if (st.caughtUp() && st.state() == ReaderStatus.State.READING) {
          progress.accept("Round " + round + ": the pipeline has committed every change before " + target
              + (shownState != null ? String.format(" (waited %.1f s)", (now - begin) / 1e9) : "") + "; "
              + st.detail());
          Thread.sleep(settings.grace().toMillis());
          return st;
        }
        if (now > deadline) {
          throw new CheckException("timed out after " + settings.timeout().toSeconds() + " s waiting for the"
              + " pipeline to commit every change before " + target + " to its sinks: " + st.detail());
        }
        if (st.state() != shownState || now - lastShown > Duration.ofSeconds(10).toNanos()) {
          progress.accept("Round " + round + ": waiting for the pipeline to commit every change before " + target
              + " (" + st.detail() + ")");
          lastShown = now;
          shownState = st.state();
        }
      }
      Thread.sleep(settings.pollInterval().toMillis());
    }
  }

  private static String summary(Map<Pair, PairState> pairs) {
    int differing = 0;
    int keys = 0;
    for (PairState p : pairs.values()) {
      if (!p.diffs.isEmpty()) {
        differing++;
        keys += p.diffs.size();
      }
    }
    return differing == 0 ? "all " + pairs.size() + " table/sink pair(s) match"
        : keys + " differing key(s) in " + differing + " of " + pairs.size() + " table/sink pair(s)";
  }

  private record Pair(TableId table, String sink) {}

  private static final class PairState {
    final int sourceRows;
    final int sinkRows;
    SortedMap<String, TableComparison.Difference> diffs;

    PairState(int sourceRows, int sinkRows, SortedMap<String, TableComparison.Difference> diffs) {
      this.sourceRows = sourceRows;
      this.sinkRows = sinkRows;
      this.diffs = diffs;
    }
  }

  /**
   * How long and how often the check waits and re-checks.
   *
   * @param timeout longest wait, per round, for the pipeline to catch up with the position taken at the start of
   *     the round; positive
   * @param rounds most comparison rounds, at least 1 (1 compares once and re-checks nothing)
   * @param grace pause after the pipeline has caught up, before reading the sinks; zero or positive
   * @param pollInterval pause between two looks at the pipeline's position while waiting; positive
   * @param idleWait how long nothing must read the log before the pipeline counts as stopped (it may be between its
   *     snapshot and its log phase, which starts after a checkpoint, or restarting); zero or positive
   */
  public record Settings(Duration timeout, int rounds, Duration grace, Duration pollInterval, Duration idleWait) {
    /** Checks the values. */
    public Settings {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds must be at least 1, was " + rounds);
      }
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative, was " + grace);
      }
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException("poll interval must be positive, was " + pollInterval);
      }
      if (idleWait.isNegative()) {
        throw new IllegalArgumentException("idle wait must not be negative, was " + idleWait);
      }
    }

    /**
     * The defaults of {@code tributary verify}: 5 min timeout, 3 rounds, 1 s grace, 1 s between polls, and an idle
     * wait of three checkpoint intervals, at least 10 s.
     *
     * @param checkpointInterval the pipeline's checkpoint interval
     */
    public static Settings defaults(Duration checkpointInterval) {
      Duration idle = checkpointInterval.multipliedBy(3);
      return new Settings(Duration.ofMinutes(5), 3, Duration.ofSeconds(1), Duration.ofSeconds(1),
          idle.compareTo(Duration.ofSeconds(10)) < 0 ? Duration.ofSeconds(10) : idle);
    }
  }

  /**
   * What the check found.
   *
   * @param source the source as {@link CheckSource#describe()} shows it
   * @param startPosition the source's log position taken at the start of the check
   * @param running whether the pipeline was reading the log at the end of the check
   * @param rounds comparison rounds run, at least 1
   * @param comparisons one per table and sink, in table then sink order
   * @param notes remarks for people (the pipeline was not running, ...); may be empty
   * @param elapsed how long the check took
   */
  public record Result(
      String source, String startPosition, boolean running, int rounds, List<TableComparison> comparisons,
      List<String> notes, Duration elapsed) {
    /** Copies the lists. */
    public Result {
      comparisons = List.copyOf(comparisons);
      notes = List.copyOf(notes);
    }

    /** Whether every table matches in every sink. */
    public boolean matches() {
      return comparisons.stream().allMatch(TableComparison::matches);
    }

    /**
     * The result as a JSON document: {@code result} (MATCH or MISMATCH), {@code source}, {@code startPosition},
     * {@code running}, {@code rounds}, {@code elapsedMs}, {@code notes}, and {@code tables}: one object per table
     * and sink with {@code table}, {@code sink}, {@code sourceRows}, {@code sinkRows}, {@code missing}, {@code
     * extra}, {@code differing}, {@code result} and {@code examples}.
     *
     * @param pipeline the pipeline's name
     */
    public String toJson(String pipeline) {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = json.createObjectNode();
      root.put("pipeline", pipeline);
      root.put("result", matches() ? "MATCH" : "MISMATCH");
      root.put("source", source);
      root.put("startPosition", startPosition);
      root.put("running", running);
      root.put("rounds", rounds);
      root.put("elapsedMs", elapsed.toMillis());
      ArrayNode n = root.putArray("notes");
      notes.forEach(n::add);
      ArrayNode ts = root.putArray("tables");
      for (TableComparison c : comparisons) {
        ObjectNode o = ts.addObject();
        o.put("table", c.table());
        o.put("sink", c.sink());
        o.put("sourceRows", c.sourceRows());
        o.put("sinkRows", c.sinkRows());
        o.put("missing", c.missing());
        o.put("extra", c.extra());
        o.put("differing", c.differing());
        o.put("result", c.matches() ? "MATCH" : "MISMATCH");
        ArrayNode ex = o.putArray("examples");
        c.examples().forEach(ex::add);
      }
      try {
        return json.writeValueAsString(root);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("cannot render the verify result as JSON", e);
      }
    }
  }
}
