package io.tributary.bench;

import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The streaming scenario: a pipeline with {@code startup.mode: latest} on {@code bench.stream_items} into Kafka and
 * Hudi MERGE_ON_READ, once exactly-once and once at-least-once, while {@link ChangeGenerator} applies phases of
 * changes at fixed rates and flat out. Per phase: the rate the database accepted (the ceiling of that phase), the
 * sustained rate through the pipeline (changes applied / time from the phase start to the last one readable in
 * Kafka), and the commit-to-readable latency in Kafka ({@code read_committed}) and Hudi as p50/p95/p99.
 */
public final class StreamingBench {
  private final BenchServices services;
  private final BenchOptions options;
  private final PrintStream out;

  StreamingBench(BenchServices services, BenchOptions options, PrintStream out) {
    this.services = services;
    this.options = options;
    this.out = out;
  }

  /** Runs every configured streaming pipeline ({@code --stream-runs}) and adds the "Streaming" section. */
  void run(Report report) throws Exception {
    Report.Section s = report.section(String.format("Streaming: changes to %s (%,d rows; 20%% inserts, 70%% updates, "
        + "10%% deletes), parallelism %d, checkpoint every %s, Hudi MOR commit.interval %s",
        BenchDatabase.STREAM_ITEMS, options.streamRows, options.parallelism, options.streamCheckpointInterval,
        options.hudiCommitInterval));
    s.note("offered = changes/s the database accepted from the generator (one connection; the phase's ceiling);"
        + " sustained = changes / (first -> last change readable in Kafka); '-' when not all arrived within 3 min");
    s.note("latency = readable (Kafka read_committed consumer; Hudi commit completion) minus the change's timestamp,"
        + " taken just before its transaction was sent; inserts and updates");
    for (String run : options.streamRuns) {
      boolean hudi = run.endsWith("+hudi");
      String guarantee = hudi ? run.substring(0, run.length() - "+hudi".length()) : run;
      services.db.create(BenchDatabase.STREAM_ITEMS, options.streamRows);
      PipelineYaml y = new PipelineYaml(services, "stream-" + (guarantee.equals("exactly-once") ? "eo" : "alo")
              + (hudi ? "-hudi" : ""))
          .table(BenchDatabase.STREAM_ITEMS).startup("latest").parallelism(options.parallelism)
          .checkpointInterval(options.streamCheckpointInterval).guarantee(guarantee).kafka()
          .kafkaProperties(options.kafkaProperties()).sourceOptions(options.sourceOptions())
          .hudiProperties(options.hudiProperties());
      if (hudi) {
        y.hudi("merge-on-read");
      }
      runPipeline(y, guarantee, hudi, s);
    }
  }

  private void runPipeline(PipelineYaml y, String guarantee, boolean hudi, Report.Section s) throws Exception {
    out.printf("%n[streaming] %s: starting pipeline %s%n", guarantee, y.name());
    PipelinePlan plan = services.plan(y.yaml());
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, services.work.resolve("state").resolve(y.name()), 0);
    try (ChangeGenerator gen = new ChangeGenerator(services.db, BenchDatabase.STREAM_ITEMS, options.streamRows);
        KafkaProbe probe = new KafkaProbe(services.kafka.bootstrapServers(), y.topic(),
            new SchemaRegistryClient(services.registry.ccompatUrl()))) {
      awaitSlotActive(y.name(), runner);
      // warm-up: the stream has started when changes arrive
      KafkaProbe.Phase warm = probe.begin("warm-up");
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      long applied = 0;
      while (warm.records() == 0) {
        applied += gen.run(Duration.ofMillis(500), 200, 5);
        check(runner, probe, deadline, "the first changes to reach Kafka");
      }
      ChangePhase.awaitRecords(warm, applied, probe, () -> check(runner, null, Long.MAX_VALUE, ""), out);
      for (String rate : options.rates) {
        phase(y, guarantee, hudi, rate, gen, probe, runner, s);
      }
    } finally {
      runner.close();
      services.dropSlot(y.name());
    }
  }

  private void phase(PipelineYaml y, String guarantee, boolean withHudi, String rate, ChangeGenerator gen, KafkaProbe probe,
      LocalPipelineRunner runner, Report.Section s) throws Exception {
    ChangePhase p = ChangePhase.run(rate, options.phaseSeconds, gen, probe, () -> check(runner, null, Long.MAX_VALUE, ""), out);
    // Hudi: wait until a commit covers the phase's last change, then match changes to commits
    List<long[]> changes = p.probe().lsnAndChanged();
    long lastLsn = changes.stream().mapToLong(c -> c[0]).max().orElse(-1); // partitions interleave: not the last read
    long[] uncovered = new long[1];
    Histogram hudi = new Histogram(3);
    if (withHudi) {
      long hudiDeadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (HudiCommits.maxCommitted(y.lakePath()) < lastLsn && System.nanoTime() < hudiDeadline) {
        Thread.sleep(200);
      }
      hudi = HudiCommits.latencies(HudiCommits.read(y.lakePath()), changes, uncovered);
    }
    Histogram kafka = p.latency();
    Map<String, Object> row = s.row();
    row.put("guarantee", guarantee);
    row.put("sinks", withHudi ? "kafka+hudi" : "kafka");
    row.put("target/s", rate);
    row.put("offered/s", p.offered());
    row.put("sustained/s", p.sustained());
    row.put("vs offered", Report.ratio(p.sustained(), p.offered()));
    row.put("changes", p.applied());
    row.put("kafka p50 ms", ChangePhase.ms(kafka, 50));
    row.put("kafka p95 ms", ChangePhase.ms(kafka, 95));
    row.put("kafka p99 ms", ChangePhase.ms(kafka, 99));
    row.put("hudi p50 ms", ChangePhase.ms(hudi, 50));
    row.put("hudi p95 ms", ChangePhase.ms(hudi, 95));
    row.put("hudi p99 ms", ChangePhase.ms(hudi, 99));
    if (uncovered[0] > 0 || p.sustained() == null) {
      row.put("note", (p.sustained() != null ? "" : "Kafka did not receive all changes in time; ")
          + (uncovered[0] > 0 ? uncovered[0] + " changes not in Hudi in time" : ""));
    }
    out.printf("    offered %,.0f/s, sustained %s/s, Kafka p99 %s ms, Hudi p99 %s ms%n", p.offered(),
        Report.format(p.sustained()), Report.format(ChangePhase.ms(kafka, 99)), Report.format(ChangePhase.ms(hudi, 99)));
  }

  private void awaitSlotActive(String pipeline, LocalPipelineRunner runner) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    try (Connection c = services.db.connect();
        PreparedStatement ps = c.prepareStatement("SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, PipelineYaml.slot(pipeline));
      while (true) {
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getBoolean(1)) {
            return;
          }
        }
        check(runner, null, deadline, "the replication slot to become active");
        Thread.sleep(200);
      }
    }
  }

  private static void check(LocalPipelineRunner runner, KafkaProbe probe, long deadline, String what) throws Exception {
    if (runner.isDone()) {
      runner.awaitTermination();
      throw new IllegalStateException("the pipeline ended");
    }
    if (probe != null) {
      probe.check();
    }
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }
}
