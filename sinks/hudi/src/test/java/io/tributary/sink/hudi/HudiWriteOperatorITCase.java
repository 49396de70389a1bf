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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.hadoop.fs.HadoopFSUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writer operator's checkpoint protocol driven step by step with Flink's operator test harness, on a real
 * COPY_ON_WRITE table (where Hudi alone would let a late change resurrect a deleted key): a table's buffer waits
 * while an instant is pending, a completion notice commits every pending instant up to it, a restore commits the
 * restored instant and rolls back one written for a checkpoint that never completed, and the final checkpoint of a
 * bounded input commits everything. The result is read back by Spark.
 */
class HudiWriteOperatorITCase {
  private static Path dir;
  private static HudiSinkConfig config;
  private static String table;

  @BeforeAll
  static void createTable() throws Exception {
    dir = Files.createTempDirectory("hudi-operator-it-");
    config = new HudiSinkConfig("hudi-0", dir.toUri() + "${table}", HudiTableType.COPY_ON_WRITE, "${table}", null, 5,
        10, Duration.ofHours(1), Map.of(), Map.of());
    HudiTableWriter.initTable(config, TestData.SCHEMA);
    table = config.basePath(TestData.ORDERS);
  }

  @AfterAll
  static void removeDir() {
    TestFiles.deleteRecursively(dir);
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Void> harness() throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        new HudiWriteOperator(config, List.of(TestData.SCHEMA)), new HudiPipelineSink.TableKey(), Types.STRING, 128, 1, 0);
  }

  private static void process(KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Void> h, ChangeEvent... events)
      throws Exception {
    for (ChangeEvent e : events) {
      h.processElement(e, 0L);
    }
  }

  private static HoodieTimeline timeline() {
    return HoodieTableMetaClient.builder().setConf(HadoopFSUtils.getStorageConf()).setBasePath(table).build()
        .getActiveTimeline();
  }

  private static List<String> pending() {
    return timeline().filterInflightsAndRequested().getInstantsAsStream().map(HoodieInstant::requestedTime)
        .collect(Collectors.toList());
  }

  private static List<String> checkpointsOfCommits() throws Exception {
    HoodieTimeline t = timeline();
    List<String> ids = new java.util.ArrayList<>();
    for (HoodieInstant i : t.getCommitTimeline().filterCompletedInstants().getInstants()) {
      ids.add(t.readCommitMetadata(i).getExtraMetadata().get(HudiTableWriter.CHECKPOINT_ID_KEY));
    }
    return ids;
  }

  @Test
  void followsTheCheckpointProtocolAcrossPendingInstantsRestoresAndEndOfInput() throws Exception {
    TestData.Model model = new TestData.Model();
    OperatorSubtaskState s5;
    try (KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Void> h = harness()) {
      h.open();
      List<ChangeEvent> b1 = List.of(insert(1, 1, 10), insert(2, 1, 11), insert(3, 1, 12), insert(4, 1, 13), insert(5, 1, 14));
      process(h, b1.toArray(new ChangeEvent[0]));
      h.snapshot(1, 1);
      assertThat(pending()).as("written at the snapshot, pending until the notice").hasSize(1);
      h.notifyOfCompletedCheckpoint(1);
      assertThat(pending()).isEmpty();
      model.applyAll(b1);

      process(h, update(1, 2, 20), delete(2, 21));
      h.snapshot(2, 2);
      List<String> p2 = pending();
      assertThat(p2).hasSize(1);
      // no notice for checkpoint 2 yet: checkpoint 3 must not start a second instant (startCommit would roll p2 back)
      process(h, insert(6, 1, 30));
      h.snapshot(3, 3);
      assertThat(pending()).as("still only the instant of checkpoint 2").isEqualTo(p2);
      h.notifyOfCompletedCheckpoint(3);
      assertThat(pending()).as("the rows carried past checkpoint 3 are committed with it").isEmpty();
      assertThat(checkpointsOfCommits()).containsExactly("1", "3", "3");
      model.applyAll(List.of(update(1, 2, 20), delete(2, 21), insert(6, 1, 30)));

      // checkpoint 4 writes a late change of deleted key 2 (15 < 21): dropped, and an update of key 3
      process(h, update(2, 7, 15), update(3, 2, 40));
      h.snapshot(4, 4);
      model.applyAll(List.of(update(2, 7, 15), update(3, 2, 40)));
      process(h, insert(7, 1, 50));
      s5 = h.snapshot(5, 5); // holds: instant of checkpoint 4 pending, buffer [7]
      model.apply(insert(7, 1, 50));
      h.notifyOfCompletedCheckpoint(4);
      process(h, insert(8, 1, 60));
      h.snapshot(6, 6); // writes [7, 8]; checkpoint 6 never completes: the job "dies" here
      assertThat(pending()).hasSize(1);
    }

    // restore from checkpoint 5: its instant (checkpoint 4) is already committed, the one of checkpoint 6 is rolled back
    try (KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Void> h = harness()) {
      h.initializeState(s5);
      h.open();
      assertThat(pending()).as("checkpoint 6's instant rolled back on restore").isEmpty();
      h.snapshot(6, 6); // writes the restored buffer [7]
      h.notifyOfCompletedCheckpoint(6);
      process(h, update(4, 2, 70));
      h.snapshot(7, 7);
      // bounded input ends while checkpoint 7's instant waits for its notice: the final checkpoint commits it first
      process(h, insert(9, 1, 80));
      h.endInput();
      h.snapshot(8, 8);
      h.notifyOfCompletedCheckpoint(8);
      model.applyAll(List.of(update(4, 2, 70), insert(9, 1, 80)));
      assertThat(pending()).isEmpty();
      assertThat(checkpointsOfCommits()).containsExactly("1", "3", "3", "4", "6", "8", "8");
    }

    List<Map<String, Object>> rows = HudiSparkReader.read(Path.of(java.net.URI.create(table)));
    assertThat(rows).containsExactlyElementsOf(model.rows());
    assertThat(rows).extracting(r -> r.get("id")).containsExactly(1L, 3L, 4L, 5L, 6L, 7L, 9L);
  }

  /**
   * With {@code commit.interval}, a checkpoint soon after a write keeps the buffer in state; a savepoint writes it
   * regardless, and the rows held back are all in the commit that follows.
   */
  @Test
  void commitIntervalHoldsRowsBackUntilTheIntervalPassesOrASavepoint() throws Exception {
    HudiSinkConfig deferring = new HudiSinkConfig("hudi-0", dir.toUri() + "deferred/${table}", HudiTableType.MERGE_ON_READ,
        "${table}", null, 5, 10, Duration.ofHours(1), Map.of(), Map.of(), Duration.ofHours(1));
    HudiTableWriter.initTable(deferring, TestData.SCHEMA);
    String base = deferring.basePath(TestData.ORDERS);
    try (KeyedOneInputStreamOperatorTestHarness<String, ChangeEvent, Void> h = new KeyedOneInputStreamOperatorTestHarness<>(
        new HudiWriteOperator(deferring, List.of(TestData.SCHEMA)), new HudiPipelineSink.TableKey(), Types.STRING, 128, 1, 0)) {
      h.open();
      process(h, insert(1, 1, 10));
      h.snapshot(1, 1); // the table's first write: not held back
      h.notifyOfCompletedCheckpoint(1);
      process(h, insert(2, 1, 20), insert(3, 1, 21));
      h.snapshot(2, 2);
      h.notifyOfCompletedCheckpoint(2);
      assertThat(commitsWithRows(base)).as("checkpoint 2 comes within the interval: nothing written").containsExactly("1=1");
      process(h, insert(4, 1, 30));
      // an intermediate savepoint is never confirmed: it writes nothing (its buffer is in its state)
      h.snapshotWithLocalState(3, 3, org.apache.flink.runtime.checkpoint.SavepointType.savepoint(
          org.apache.flink.core.execution.SavepointFormatType.CANONICAL));
      assertThat(HoodieTableMetaClient.builder().setConf(HadoopFSUtils.getStorageConf()).setBasePath(base).build()
          .getActiveTimeline().filterInflightsAndRequested().getInstants()).as("no instant for an intermediate savepoint").isEmpty();
      assertThat(commitsWithRows(base)).containsExactly("1=1");
      // the synchronous savepoint of a stop writes everything held back, committed by its notice
      h.snapshotWithLocalState(4, 4, org.apache.flink.runtime.checkpoint.SavepointType.suspend(
          org.apache.flink.core.execution.SavepointFormatType.CANONICAL));
      h.notifyOfCompletedCheckpoint(4);
      assertThat(commitsWithRows(base)).as("the stop's savepoint writes all held-back rows").containsExactly("1=1", "4=3");
    }
  }

  /** "checkpoint id=rows inserted" of each completed data commit of the table at {@code base}. */
  private static List<String> commitsWithRows(String base) throws Exception {
    HoodieTimeline t = HoodieTableMetaClient.builder().setConf(HadoopFSUtils.getStorageConf()).setBasePath(base).build()
        .getActiveTimeline();
    List<String> out = new java.util.ArrayList<>();
    for (HoodieInstant i : t.getCommitsTimeline().filterCompletedInstants().getInstants()) {
      var meta = t.readCommitMetadata(i);
      out.add(meta.getExtraMetadata().get(HudiTableWriter.CHECKPOINT_ID_KEY) + "=" + meta.fetchTotalInsertRecordsWritten());
    }
    return out;
  }
}
