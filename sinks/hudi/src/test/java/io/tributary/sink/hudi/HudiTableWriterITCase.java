package io.tributary.sink.hudi;

import static io.tributary.sink.hudi.TestData.delete;
import static io.tributary.sink.hudi.TestData.insert;
import static io.tributary.sink.hudi.TestData.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schema.ChangeEvent;
import io.tributary.spark.HudiSparkReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Hudi Java-client side of the sink without Flink: two-phase writes, ordering, deletes, compaction and recovery
 * on real COPY_ON_WRITE and MERGE_ON_READ tables, read back by Spark in a child JVM.
 */
class HudiTableWriterITCase {
  private static Path dir;

  @BeforeAll
  static void createDir() throws Exception {
    dir = Files.createTempDirectory("hudi-writer-it-");
  }

  @AfterAll
  static void removeDir() {
    TestFiles.deleteRecursively(dir);
  }

  static HudiSinkConfig config(String name, HudiTableType type) {
    return new HudiSinkConfig("hudi-0", dir.resolve(name).toUri().toString() + "/${table}", type, "${table}", null, 2,
        10, Duration.ofHours(1), Map.of(), Map.of());
  }

  /** Writes one batch the way the operator does: convert, keep the highest ordering per key, write, commit. */
  static PendingCommit write(HudiTableWriter w, HudiRowEncoder enc, List<ChangeEvent> events, long checkpoint) {
    Map<String, BufferedRow> latest = new LinkedHashMap<>();
    for (ChangeEvent e : events) {
      BufferedRow r = enc.encode(e);
      latest.merge(r.recordKey, r, (old, now) -> now.ordering >= old.ordering ? now : old);
    }
    return w.write(new ArrayList<>(latest.values()), checkpoint);
  }

  @Test
  void writesMixedBatchesHonouringOrderingOnBothTableTypesAndRecovers() throws Exception {
    Map<Path, TestData.Model> expected = new LinkedHashMap<>();
    List<Path> paths = new ArrayList<>();
    List<String> mdTimelines = new ArrayList<>();
    for (HudiTableType type : HudiTableType.values()) {
      HudiSinkConfig config = config(type.name(), type);
      assertThat(HudiTableWriter.initTable(config, TestData.SCHEMA)).isTrue();
      assertThat(HudiTableWriter.initTable(config, TestData.SCHEMA)).as("second prepare finds the table").isFalse();
      HudiRowEncoder enc = new HudiRowEncoder(config, TestData.SCHEMA);
      TestData.Model model = new TestData.Model();
      long cp = 0;
      try (HudiTableWriter w = HudiTableWriter.open(config, TestData.SCHEMA)) {
        // 1: inserts
        List<ChangeEvent> b1 = IntStream.rangeClosed(1, 8).mapToObj(i -> insert(i, 1, 10 + i)).collect(Collectors.toList());
        commitBatch(w, enc, b1, ++cp, model);
        // 2: new keys with updates and deletes of existing ones, a key inserted and deleted in the same batch, a late
        // update (ordering 5 < 13) that must lose, and two updates of one key out of order
        List<ChangeEvent> b2 = List.of(
            update(1, 2, 20), delete(2, 21), insert(9, 1, 22), update(3, 9, 5), insert(10, 1, 23), delete(10, 24),
            update(4, 3, 26), update(4, 2, 25), insert(11, 1, 27));
        commitBatch(w, enc, b2, ++cp, model);
        // 3 (MERGE_ON_READ: compaction is due after 2 delta commits): a late delete of key 1 (15 < 20) that must not
        // remove it, deletes and updates on top of the compacted base
        List<ChangeEvent> b3 = List.of(delete(1, 15), delete(5, 30), update(6, 2, 31), insert(12, 1, 32), update(9, 2, 33));
        commitBatch(w, enc, b3, ++cp, model);
        // 4: inserts only, on a table with earlier updates and deletes (STACK.md pitfall 14)
        List<ChangeEvent> b4 = IntStream.rangeClosed(13, 20).mapToObj(i -> insert(i, 1, 40 + i)).collect(Collectors.toList());
        commitBatch(w, enc, b4, ++cp, model);

        // 5: written but not committed, then the process "dies"; Flink restores the pending instant from state
        List<ChangeEvent> b5 = List.of(update(6, 3, 70), delete(7, 71), insert(21, 1, 72));
        PendingCommit p5 = write(w, enc, b5, ++cp);
        model.applyAll(b5);
        w.close();
        try (HudiTableWriter restored = HudiTableWriter.open(config, TestData.SCHEMA)) {
          restored.recover(p5, cp);
          assertThat(restored.commit(p5, cp)).as("committing again is a no-op").isFalse();

          // 6: written for a checkpoint that never completes: the restore has no record of it and rolls it back
          write(restored, enc, List.of(delete(8, 80), insert(22, 1, 81)), ++cp);
        }
        try (HudiTableWriter again = HudiTableWriter.open(config, TestData.SCHEMA)) {
          again.recover(null, cp - 1);
          List<String> timeline = again.timeline();
          assertThat(timeline).as(type + " timeline").noneMatch(i -> i.endsWith("REQUESTED") || i.endsWith("INFLIGHT"));
          if (type == HudiTableType.MERGE_ON_READ) {
            assertThat(timeline).as("a completed compaction (commit action) on MOR").anyMatch(i -> i.contains(" commit COMPLETED"));
          }
          mdTimelines.add(type + ": " + timeline);
        }
      }
      Path table = dir.resolve(type.name()).resolve("orders");
      paths.add(table);
      expected.put(table, model);
    }

    Map<Path, List<Map<String, Object>>> read = HudiSparkReader.readAll(paths, Map.of());
    for (Path p : paths) {
      List<Map<String, Object>> want = expected.get(p).rows();
      assertThat(read.get(p)).as("rows of " + p + "; timelines " + mdTimelines).containsExactlyElementsOf(want);
    }
    assertThat(expected.get(paths.get(0)).rows()).extracting(r -> r.get("id"))
        .contains(1L, 3L, 4L, 6L, 9L, 11L, 21L).doesNotContain(2L, 5L, 7L, 10L, 22L);
  }

  private static void commitBatch(HudiTableWriter w, HudiRowEncoder enc, List<ChangeEvent> batch, long cp,
      TestData.Model model) {
    PendingCommit p = write(w, enc, batch, cp);
    assertThat(w.commit(p, cp)).isTrue();
    w.compactIfDue();
    model.applyAll(batch);
  }
}
