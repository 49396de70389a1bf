package io.tributary.runtime.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rounds of {@link PipelineVerifier} over an in-memory source and sink (no services): waiting for the pipeline,
 * differences that settle, differences that persist, a stopped pipeline, a timeout.
 */
class PipelineVerifierTest {
  private static final TableSchema T = new TableSchema(new TableId("db", "public", "items"),
      List.of(Column.of("id", ColumnKind.INT64, false, "bigint"), Column.of("v", ColumnKind.STRING, true, "text")),
      List.of("id"));
  private static final PipelineVerifier.Settings FAST =
      new PipelineVerifier.Settings(Duration.ofSeconds(5), 3, Duration.ZERO, Duration.ofMillis(10), Duration.ZERO);

  /** A source whose rows and reader status the test scripts; records what was read. */
  private static final class MemorySource implements CheckSource {
    final TreeMap<Long, String> rows = new TreeMap<>();
    boolean running = true;
    int pollsUntilCaughtUp;
    int snapshotPolls;
    int idlePolls;
    int positions;
    final List<String> reads = new ArrayList<>();
    Runnable onRead = () -> {};

    @Override
    public String describe() {
      return "memory";
    }

    @Override
    public String position() {
      return "pos-" + (++positions);
    }

    @Override
    public ReaderStatus status(String target) {
      if (!running) {
        return new ReaderStatus(ReaderStatus.State.IDLE, false, "pos-0", 10, -1, "reader stopped");
      }
      if (snapshotPolls-- > 0) {
        return new ReaderStatus(ReaderStatus.State.SNAPSHOT, false, "pos-0", 10, -1, "in its snapshot");
      }
      if (idlePolls-- > 0) {
        return new ReaderStatus(ReaderStatus.State.IDLE, false, "pos-0", 10, -1, "between snapshot and log");
      }
      boolean caughtUp = pollsUntilCaughtUp-- <= 0;
      return new ReaderStatus(ReaderStatus.State.READING, caughtUp, "pos-0", caughtUp ? 0 : 10, caughtUp ? 0 : 1,
          "at pos-0");
    }

    @Override
    public TableRows read(TableSchema table) {
      reads.add("all");
      TableRows r = new TableRows(table, "source");
      rows.forEach((k, v) -> r.put(row(k, v)));
      onRead.run();
      return r;
    }

    @Override
    public TableRows read(TableSchema table, Collection<Map<String, String>> keys) {
      List<String> ids = new ArrayList<>();
      TableRows r = new TableRows(table, "source");
      for (Map<String, String> k : keys) {
        long id = Long.parseLong(k.get("id"));
        ids.add(k.get("id"));
        if (rows.containsKey(id)) {
          r.put(row(id, rows.get(id)));
        }
      }
      reads.add("keys " + ids);
      onRead.run();
      return r;
    }

    @Override
    public void close() {}
  }

  /** A sink holding rows in memory; honours the key filter like the real ones. */
  private static final class MemorySink implements CheckSink {
    final TreeMap<Long, String> rows = new TreeMap<>();
    final List<Map<TableId, Set<String>>> reads = new ArrayList<>();

    @Override
    public String name() {
      return "kafka-0";
    }

    @Override
    public Map<TableId, TableRows> read(List<TableSchema> tables, Map<TableId, Set<String>> onlyKeys) {
      reads.add(onlyKeys);
      Map<TableId, TableRows> out = new LinkedHashMap<>();
      for (TableSchema t : tables) {
        TableRows r = new TableRows(t, name(), onlyKeys == null ? null : onlyKeys.get(t.tableId()));
        rows.forEach((k, v) -> r.put(row(k, v)));
        out.put(t.tableId(), r);
      }
      return out;
    }
  }

  private static Map<String, Object> row(long id, String v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("v", v);
    return m;
  }

  private static PipelineVerifier.Result verify(MemorySource source, MemorySink sink, PipelineVerifier.Settings s,
      List<String> progress) throws Exception {
    return new PipelineVerifier(source, List.of(sink), s, progress::add).verify(List.of(T));
  }

  @Test
  void waitsForTheReaderThenMatchesInOneRound() throws Exception {
    MemorySource source = new MemorySource();
    MemorySink sink = new MemorySink();
    for (long i = 1; i <= 10; i++) {
      source.rows.put(i, "v" + i);
      sink.rows.put(i, "v" + i);
    }
    source.pollsUntilCaughtUp = 3;
    List<String> progress = new ArrayList<>();
    PipelineVerifier.Result r = verify(source, sink, FAST, progress);
    assertThat(r.matches()).isTrue();
    assertThat(r.rounds()).isEqualTo(1);
    assertThat(r.running()).isTrue();
    assertThat(r.comparisons()).singleElement().satisfies(c -> {
      assertThat(c.sourceRows()).isEqualTo(10);
      assertThat(c.sinkRows()).isEqualTo(10);
    });
    assertThat(progress).anyMatch(l -> l.contains("waiting for the pipeline to commit every change before pos-1"));
    assertThat(source.reads).containsExactly("all");
    assertThat(r.toJson("p")).contains("\"result\" : \"MATCH\"").contains("\"sourceRows\" : 10");
  }

  @Test
  void aDifferenceThatSettlesIsNotReported() throws Exception {
    MemorySource source = new MemorySource();
    MemorySink sink = new MemorySink();
    for (long i = 1; i <= 10; i++) {
      source.rows.put(i, "v" + i);
      sink.rows.put(i, "v" + i);
    }
    // a change the sink has not received yet when round 1 reads it; it arrives before round 2
    source.rows.put(3L, "changed");
    source.rows.put(11L, "new");
    source.onRead = () -> {
      if (source.reads.size() == 2) {
        sink.rows.put(3L, "changed");
        sink.rows.put(11L, "new");
      }
    };
    PipelineVerifier.Result r = verify(source, sink, FAST, new ArrayList<>());
    assertThat(r.matches()).isTrue();
    assertThat(r.rounds()).isEqualTo(2);
    assertThat(source.reads).containsExactly("all", "keys [11, 3]");
    assertThat(sink.reads.get(1)).containsEntry(T.tableId(), Set.of("3", "11"));
  }

  @Test
  void aDifferenceInEveryRoundIsReportedWithExamples() throws Exception {
    MemorySource source = new MemorySource();
    MemorySink sink = new MemorySink();
    for (long i = 1; i <= 10; i++) {
      source.rows.put(i, "v" + i);
      sink.rows.put(i, "v" + i);
    }
    sink.rows.remove(4L); // lost by the sink
    sink.rows.put(99L, "ghost"); // extra
    sink.rows.put(7L, "wrong"); // differing
    source.rows.put(8L, "late"); // settles in round 2
    source.onRead = () -> {
      if (source.reads.size() == 2) {
        sink.rows.put(8L, "late");
      }
    };
    PipelineVerifier.Result r = verify(source, sink, FAST, new ArrayList<>());
    assertThat(r.matches()).isFalse();
    assertThat(r.rounds()).isEqualTo(3);
    TableComparison c = r.comparisons().get(0);
    assertThat(c.missing()).isEqualTo(1);
    assertThat(c.extra()).isEqualTo(1);
    assertThat(c.differing()).isEqualTo(1);
    assertThat(c.sourceRows()).isEqualTo(10);
    assertThat(c.sinkRows()).isEqualTo(10);
    assertThat(c.examples()).containsExactly("missing key 4", "key 7 column v: source 'v7', kafka-0 'wrong'",
        "extra key 99");
    assertThat(source.reads).containsExactly("all", "keys [4, 7, 8, 99]", "keys [4, 7, 99]");
    assertThat(r.toJson("p")).contains("\"result\" : \"MISMATCH\"").contains("missing key 4");
  }

  @Test
  void aStoppedPipelineIsComparedOnceWithoutWaiting() throws Exception {
    MemorySource source = new MemorySource();
    MemorySink sink = new MemorySink();
    source.rows.put(1L, "a");
    source.rows.put(2L, "b");
    sink.rows.put(1L, "a");
    source.running = false;
    PipelineVerifier.Result r = verify(source, sink, FAST, new ArrayList<>());
    assertThat(r.running()).isFalse();
    assertThat(r.rounds()).isEqualTo(1);
    assertThat(r.comparisons().get(0).missing()).isEqualTo(1);
    assertThat(r.notes()).singleElement().asString().contains("reader stopped").contains("as they are");
  }

  @Test
  void aReaderThatNeverCatchesUpTimesOut() {
    MemorySource source = new MemorySource();
    source.pollsUntilCaughtUp = Integer.MAX_VALUE;
    PipelineVerifier.Settings s =
        new PipelineVerifier.Settings(Duration.ofMillis(200), 3, Duration.ZERO, Duration.ofMillis(10), Duration.ZERO);
    assertThatThrownBy(() -> verify(source, new MemorySink(), s, new ArrayList<>()))
        .isInstanceOf(CheckException.class)
        .hasMessageContaining("timed out")
        .hasMessageContaining("before pos-1")
        .hasMessageContaining("at pos-0");
  }

  @Test
  void oneRoundRechecksNothing() throws Exception {
    MemorySource source = new MemorySource();
    MemorySink sink = new MemorySink();
    source.rows.put(1L, "a");
    PipelineVerifier.Result r = verify(source, sink,
        new PipelineVerifier.Settings(Duration.ofSeconds(5), 1, Duration.ZERO, Duration.ofMillis(10), Duration.ZERO),
        new ArrayList<>());
    assertThat(r.rounds()).isEqualTo(1);
    assertThat(r.comparisons().get(0).missing()).isEqualTo(1);
    assertThat(source.reads).containsExactly("all");
  }

  @Test
  void aSnapshotIsWaitedForAndAShortIdleSpellIsNotAStop() throws Exception {
    MemorySource source = new MemorySource();
    MemorySink sink = new MemorySink();
    source.rows.put(1L, "a");
    sink.rows.put(1L, "a");
    source.snapshotPolls = 5;
    source.idlePolls = 5;
    List<String> progress = new ArrayList<>();
    PipelineVerifier.Result r = verify(source, sink,
        new PipelineVerifier.Settings(Duration.ofSeconds(5), 3, Duration.ZERO, Duration.ofMillis(10),
            Duration.ofSeconds(5)), progress);
    assertThat(r.running()).isTrue();
    assertThat(r.notes()).isEmpty();
    assertThat(progress).anyMatch(l -> l.contains("in its snapshot"))
        .anyMatch(l -> l.contains("between snapshot and log; watching it for 5 s"));
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new PipelineVerifier.Settings(Duration.ZERO, 3, Duration.ZERO, Duration.ofSeconds(1),
        Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> new PipelineVerifier.Settings(Duration.ofSeconds(1), 0, Duration.ZERO,
        Duration.ofSeconds(1), Duration.ZERO)).hasMessageContaining("rounds");
    assertThat(PipelineVerifier.Settings.defaults(Duration.ofSeconds(2)).idleWait()).isEqualTo(Duration.ofSeconds(10));
    assertThat(PipelineVerifier.Settings.defaults(Duration.ofSeconds(10)).idleWait())
        .isEqualTo(Duration.ofSeconds(30));
  }
}
