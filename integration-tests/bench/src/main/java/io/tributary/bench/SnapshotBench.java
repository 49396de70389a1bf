package io.tributary.bench;

import io.tributary.runtime.JobComposer;
import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.progress.ProgressMetrics;
import io.tributary.runtime.progress.TableEventCounter;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The snapshot scenario: {@code bench.items} (N rows) read by a {@code startup.mode: snapshot} pipeline into Kafka
 * only, Hudi COPY_ON_WRITE only, Hudi MERGE_ON_READ only, and Kafka + Hudi MOR; next to three ceilings measured in
 * the same run: PostgreSQL {@code COPY ... TO STDOUT}, a plain Kafka producer writing as many records of the same
 * size, and the Flink CDC source alone into a discarding sink. Each pipeline's time runs from submitting the job to
 * its end (the final checkpoint has committed Kafka transactions and Hudi instants), so job start-up is included.
 */
public final class SnapshotBench {
  /** A small table for the warm-up job. */
  static final String WARMUP = "bench.warmup";

  private final BenchServices services;
  private final BenchOptions options;
  private final PrintStream out;

  SnapshotBench(BenchServices services, BenchOptions options, PrintStream out) {
    this.services = services;
    this.options = options;
    this.out = out;
  }

  /** Runs every snapshot measurement and adds the "Snapshot" section to the report. */
  void run(Report report) throws Exception {
    long rows = options.rows;
    out.printf("%n[snapshot] creating %s with %,d rows%n", BenchDatabase.ITEMS, rows);
    long t0 = System.nanoTime();
    services.db.create(BenchDatabase.ITEMS, rows);
    out.printf("  filled in %.1f s%n", seconds(t0));

    Report.Section s = report.section(String.format("Snapshot: %,d rows of %s, parallelism %d, checkpoint every %s",
        rows, BenchDatabase.ITEMS, options.parallelism, options.snapshotCheckpointInterval));

    // ceiling 1: what the database hands out
    t0 = System.nanoTime();
    long bytes = services.db.copyOut(BenchDatabase.ITEMS);
    double copySeconds = seconds(t0);
    double mb = bytes / 1e6;
    double copyRate = rows / copySeconds;
    out.printf("  COPY TO STDOUT: %,d bytes (%.0f bytes a row) in %.1f s%n", bytes, (double) bytes / rows, copySeconds);
    s.note(String.format("MB = the table's size as COPY text (%.1f MB, %.0f bytes a row); heap = the JVM running the"
        + " job (-Xmx %.0f MiB): peak used (garbage included) and peak still used after a GC", mb, (double) bytes / rows,
        HeapSampler.maxMiB()));
    s.note("seconds: job submission to job end (the final checkpoint committed Kafka transactions and Hudi instants);"
        + " last row read s: job submission to the last snapshot row counted after the source");

    // a short job first, so that class loading and JIT warm-up do not fall on the first measured run
    out.printf("  warm-up job on %s ...%n", WARMUP);
    services.db.create(WARMUP, 20_000);
    sourceAlone(WARMUP, "snap-warmup");

    // ceiling 3: the Flink CDC source alone
    Measured sourceAlone = sourceAlone(BenchDatabase.ITEMS, "snap-source-alone");
    double sourceRate = rows / sourceAlone.seconds;

    row(s, "ceiling: PostgreSQL COPY TO STDOUT", copySeconds, rows, mb, null, copyRate, null);
    row(s, "ceiling: Flink CDC source alone (discarding sink)", sourceAlone.seconds, rows, mb, sourceAlone, copyRate, null);

    List<Object[]> runs = new ArrayList<>();
    runs.add(new Object[] {"kafka", true, null});
    runs.add(new Object[] {"hudi-cow", false, "copy-on-write"});
    runs.add(new Object[] {"hudi-mor", false, "merge-on-read"});
    runs.add(new Object[] {"kafka-hudi-mor", true, "merge-on-read"});
    String kafkaTopic = null;
    runs.removeIf(r -> !options.snapshotRuns.contains((String) r[0]));
    for (Object[] r : runs) {
      String name = "snap-" + r[0];
      PipelineYaml y = new PipelineYaml(services, name).table(BenchDatabase.ITEMS).startup("snapshot")
          .parallelism(options.parallelism).checkpointInterval(options.snapshotCheckpointInterval)
          .kafkaProperties(options.kafkaProperties()).sourceOptions(options.sourceOptions())
          .hudiProperties(options.hudiProperties());
      if ((Boolean) r[1]) {
        y.kafka();
      }
      if (r[2] != null) {
        y.hudi((String) r[2]);
      }
      Measured m = pipeline(y);
      row(s, "tributary: " + describe((Boolean) r[1], (String) r[2]), m.seconds, rows, mb, m, copyRate, sourceRate);
      if (r[0].equals("kafka")) {
        kafkaTopic = y.topic();
      }
    }

    // ceiling 2: a plain producer writing as many records of the size the Kafka run wrote
    if (kafkaTopic != null) {
      long[] sizes = averageRecordSize(kafkaTopic);
      Measured p = producer(rows, (int) sizes[0], (int) sizes[1]);
      double producerRate = rows / p.seconds;
      Map<String, Object> pr = row(s, String.format("ceiling: Kafka producer, %d+%d byte records", sizes[0], sizes[1]),
          p.seconds, rows, mb, null, copyRate, null);
      pr.put("rows/s vs producer", 1.0);
      for (Map<String, Object> other : s.rows) {
        if (other.get("run").toString().contains("kafka") && other != pr) {
          other.put("rows/s vs producer", Report.ratio((Double) other.get("rows/s"), producerRate));
        }
      }
      s.note("Kafka producer ceiling: acks=all, idempotent, the pipeline's batching settings ("
          + options.kafkaProperties().trim().replace("\n", ",").replaceAll(" +", " ") + "), not transactional");
    }
  }

  private Map<String, Object> row(Report.Section s, String run, double seconds, long rows, double mb, Measured m,
      double copyRate, Double sourceRate) {
    Map<String, Object> r = s.row();
    double rate = rows / seconds;
    r.put("run", run);
    r.put("seconds", seconds);
    r.put("last row read s", m == null ? null : m.lastRowSeconds());
    r.put("rows/s", rate);
    r.put("MB/s", mb / seconds);
    r.put("heap peak MiB", m == null ? null : m.heapMiB());
    r.put("after-GC peak MiB", m == null ? null : m.liveHeapMiB());
    r.put("vs COPY", rate / copyRate);
    r.put("vs source alone", sourceRate == null ? null : rate / sourceRate);
    out.printf("  %-55s %6.1f s %,10.0f rows/s%n", run, seconds, rate);
    return r;
  }

  private static String describe(boolean kafka, String hudi) {
    String h = hudi == null ? null : "hudi " + (hudi.equals("copy-on-write") ? "COW" : "MOR");
    return kafka && h != null ? "kafka + " + h : kafka ? "kafka" : h;
  }

  /** Runs a pipeline until its snapshot-mode job ends; returns its time and peak heap. Drops its slot after. */
  private Measured pipeline(PipelineYaml y) throws Exception {
    out.printf("  running pipeline %s ...%n", y.name());
    PipelinePlan plan = services.plan(y.yaml());
    try (HeapSampler heap = new HeapSampler()) {
      long t0 = System.nanoTime();
      LocalPipelineRunner runner = LocalPipelineRunner.start(plan, services.work.resolve("state").resolve(y.name()), 0);
      long read = 0;
      long lastRow = -1;
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(options.timeoutMinutes);
      try {
        // the job's counters vanish when it ends: keep the last value seen while it runs
        while (!runner.isDone() && System.nanoTime() < deadline) {
          read = Math.max(read, ProgressMetrics.sum("tributary.table.", "." + TableEventCounter.SNAPSHOT_ROWS));
          if (read >= options.rows && lastRow < 0) {
            lastRow = System.nanoTime();
          }
          Thread.sleep(50);
        }
        runner.jobClient().getJobExecutionResult().get(1, TimeUnit.MINUTES);
      } finally {
        runner.close();
      }
      double secs = seconds(t0);
      if (read != options.rows) {
        out.printf("  WARNING: pipeline %s counted %,d snapshot rows, expected %,d%n", y.name(), read, options.rows);
      }
      return new Measured(secs, heap.peakMiB(), heap.peakAfterGcMiB(), lastRow < 0 ? null : (lastRow - t0) / 1e9);
    } finally {
      services.dropSlot(y.name());
    }
  }

  /** The source of a snapshot-mode pipeline into a discarding sink, composed like a pipeline otherwise. */
  private Measured sourceAlone(String table, String name) throws Exception {
    PipelineYaml y = new PipelineYaml(services, name).table(table).startup("snapshot")
        .parallelism(options.parallelism).checkpointInterval(options.snapshotCheckpointInterval)
        .sourceOptions(options.sourceOptions()).kafka();
    out.printf("  running %s ...%n", y.name());
    PipelinePlan plan = services.plan(y.yaml());
    try (HeapSampler heap = new HeapSampler()) {
      long t0 = System.nanoTime();
      Configuration conf = JobComposer.embeddedConfiguration(plan.definition(),
          services.work.resolve("state").resolve(y.name()), 0);
      StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
      env.setParallelism(options.parallelism);
      env.enableCheckpointing(plan.definition().pipeline().checkpointInterval().toMillis(), CheckpointingMode.EXACTLY_ONCE);
      env.setBufferTimeout(20);
      env.getConfig().enableObjectReuse(); // as JobComposer does
      plan.source().createStream(env, plan.tables()).sinkTo(new DiscardingSink<>()).name("discard");
      JobClient job = env.executeAsync("bench-source-alone");
      job.getJobExecutionResult().get(options.timeoutMinutes, TimeUnit.MINUTES);
      return new Measured(seconds(t0), heap.peakMiB(), heap.peakAfterGcMiB(), null);
    } finally {
      services.dropSlot(y.name());
    }
  }

  /** Average key and value sizes of the first records of a topic, in bytes. */
  private long[] averageRecordSize(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    long keys = 0;
    long values = 0;
    int n = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (n < 2000 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.value() != null) {
            keys += r.key().length;
            values += r.value().length;
            n++;
          }
        }
      }
    }
    if (n == 0) {
      throw new IllegalStateException("no records in " + topic);
    }
    return new long[] {keys / n, values / n};
  }

  /** A plain producer (acks=all, idempotent, the pipeline's batching) sending {@code count} records, flushed. */
  private Measured producer(long count, int keySize, int valueSize) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putAll(options.producerProperties());
    String topic = "bench.producer-ceiling";
    Properties admin = new Properties();
    admin.put("bootstrap.servers", services.kafka.bootstrapServers());
    try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(admin)) {
      a.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, options.parallelism, (short) 1)))
          .all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic, e);
    }
    Random random = new Random(42);
    byte[][] values = new byte[64][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new byte[valueSize];
      // half random, half repeated text-like bytes: roughly as compressible as Avro rows of the bench table
      for (int j = 0; j < valueSize; j++) {
        values[i][j] = j % 2 == 0 ? (byte) random.nextInt(256) : (byte) ('a' + j % 26);
      }
    }
    out.printf("  running the Kafka producer ceiling ...%n");
    try (HeapSampler heap = new HeapSampler();
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      long t0 = System.nanoTime();
      for (long i = 0; i < count; i++) {
        byte[] key = new byte[keySize];
        long k = i;
        for (int j = 0; j < Math.min(8, keySize); j++) {
          key[j] = (byte) k;
          k >>>= 8;
        }
        producer.send(new ProducerRecord<>(topic, (int) (i % options.parallelism), key, values[(int) (i % values.length)]));
      }
      producer.flush();
      return new Measured(seconds(t0), heap.peakMiB(), heap.peakAfterGcMiB(), null);
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Elapsed seconds and peak heap of one measurement. */
  record Measured(double seconds, double heapMiB, double liveHeapMiB, Double lastRowSeconds) {}
}
