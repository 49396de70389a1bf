package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.PipelineSupervisor;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Steps the schema change ITCases share: drive a supervised pipeline while reading its topic. */
final class SchemaChangeSteps {
  private SchemaChangeSteps() {}

  /**
   * Deletes a test's directory once Flink is done with it: a job that finished by stop-with-savepoint discards its
   * retained checkpoints asynchronously while its MiniCluster shuts down, so a delete right after the stop can race
   * with Flink's own (JUnit's {@code @TempDir} cleanup then fails on a file that just vanished). Retries for up to
   * 20 s, then gives up quietly.
   */
  static void deleteWhenQuiet(java.nio.file.Path dir) throws InterruptedException {
    for (int attempt = 0; attempt < 40 && java.nio.file.Files.exists(dir); attempt++) {
      try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(dir)) {
        for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          java.nio.file.Files.deleteIfExists(p);
        }
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        Thread.sleep(500);
      }
    }
  }

  /** Reads the topic until {@code done} holds (driving the supervisor, which may start the next job meanwhile). */
  static List<TopicRecords.Decoded> awaitTopic(
      Services s, PipelineSupervisor sup, String topic, Predicate<List<TopicRecords.Decoded>> done, String what)
      throws Exception {
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      if (sup.isDone()) {
        sup.awaitTermination();
        throw new AssertionError("pipeline ended while waiting for " + what);
      }
      List<TopicRecords.Decoded> records = TopicRecords.readAll(s.kafka.bootstrapServers(), topic, registry);
      if (done.test(records)) {
        return records;
      }
      assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
      Thread.sleep(1000);
    }
  }

  static Predicate<List<TopicRecords.Decoded>> hasKey(int id) {
    return rs -> rs.stream().anyMatch(r -> r.value() != null && Integer.valueOf(id).equals(r.key().get("id")));
  }

  static void awaitEnd(PipelineSupervisor sup) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!sup.isDone()) {
      assertThat(System.nanoTime()).as("the pipeline stops").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Every change once: snapshot rows per key, log changes per key, op and ordering (LSN or binlog position). */
  static void assertEachChangeOnce(List<TopicRecords.Decoded> records) {
    Map<String, Integer> seen = new HashMap<>();
    for (TopicRecords.Decoded r : records) {
      if (r.value() == null) {
        continue;
      }
      String id = r.op() + "/" + r.key() + "/" + (r.op().equals("r") ? "" : r.source().get("ordering"));
      assertThat(seen.merge(id, 1, Integer::sum)).as("change %s once", id).isEqualTo(1);
    }
  }
}
