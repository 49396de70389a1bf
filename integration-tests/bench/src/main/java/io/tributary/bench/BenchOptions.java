package io.tributary.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The benchmark's parameters (command-line options of {@code tributary bench}). */
public final class BenchOptions {
  @Option(names = "--rows", defaultValue = "1000000", description = "rows of the snapshot table (default ${DEFAULT-VALUE})")
  long rows;

  @Option(names = "--stream-rows", defaultValue = "100000", description = "rows pre-filled in the streaming table (default ${DEFAULT-VALUE})")
  long streamRows;

  @Option(names = "--rates", split = ",", defaultValue = "1000,5000,20000,max",
      description = "streaming phases: changes/s, or max for flat out (default ${DEFAULT-VALUE})")
  List<String> rates;

  @Option(names = "--phase-seconds", defaultValue = "20", description = "seconds of changes per streaming phase (default ${DEFAULT-VALUE})")
  int phaseSeconds;

  @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism of every pipeline (default ${DEFAULT-VALUE})")
  int parallelism;

  @Option(names = "--snapshot-checkpoint-interval", defaultValue = "1s", description = "checkpoint interval of the snapshot pipelines (default ${DEFAULT-VALUE})")
  String snapshotCheckpointInterval;

  @Option(names = "--stream-checkpoint-interval", defaultValue = "1s", description = "checkpoint interval of the streaming pipelines (default ${DEFAULT-VALUE})")
  String streamCheckpointInterval;

  @Option(names = "--poll-interval-ms", defaultValue = "20", description = "Debezium poll.interval.ms, for Tributary and the peer alike (default ${DEFAULT-VALUE})")
  long pollIntervalMs;

  @Option(names = "--linger-ms", defaultValue = "5", description = "Kafka producer linger.ms, for every producer (default ${DEFAULT-VALUE})")
  int lingerMs;

  @Option(names = "--batch-size", defaultValue = "131072", description = "Kafka producer batch.size in bytes, for every producer (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--compression", defaultValue = "lz4", description = "Kafka producer compression.type, for every producer (default ${DEFAULT-VALUE})")
  String compression;

  @Option(names = "--stream-runs", split = ",", defaultValue = "exactly-once,at-least-once,exactly-once+hudi,at-least-once+hudi",
      description = "streaming pipelines: guarantee, +hudi to add a Hudi MOR sink to the Kafka sink (default ${DEFAULT-VALUE})")
  List<String> streamRuns;

  @Option(names = "--source-option", description = "extra PostgreSQL source option KEY=VALUE for every pipeline (repeatable), e.g. snapshot.chunk.size=50000")
  Map<String, String> sourceOptionsExtra = new LinkedHashMap<>();

  @Option(names = "--hudi-commit-interval", defaultValue = "10s",
      description = "commit.interval of every Hudi sink (default ${DEFAULT-VALUE}): Hudi commits at most that often while Kafka commits every checkpoint")
  String hudiCommitInterval;

  @Option(names = "--hudi-option", description = "extra Hudi sink option KEY=VALUE for every Hudi sink (repeatable), e.g. hoodie.metadata.enable=false")
  Map<String, String> hudiOptions = new LinkedHashMap<>();

  @Option(names = "--snapshot-runs", split = ",", defaultValue = "kafka,hudi-cow,hudi-mor,kafka-hudi-mor",
      description = "snapshot pipelines to run (default ${DEFAULT-VALUE}); the ceilings always run")
  List<String> snapshotRuns;

  @Option(names = "--only", split = ",", description = "run only these scenarios: snapshot, streaming, peer (default: all)")
  List<String> only;

  @Option(names = "--timeout-minutes", defaultValue = "20", description = "longest a single run may take (default ${DEFAULT-VALUE})")
  long timeoutMinutes;

  /** Whether scenario {@code name} runs. */
  boolean runs(String name) {
    return only == null || only.isEmpty() || only.contains(name);
  }

  /** Kafka producer settings shared by Tributary's sink, the producer ceiling and the peer. */
  Map<String, String> producerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("linger.ms", Integer.toString(lingerMs));
    p.put("batch.size", Integer.toString(batchSize));
    p.put("compression.type", compression);
    return p;
  }

  /** The producer settings as Kafka sink YAML lines ({@code properties.} prefix). */
  String kafkaProperties() {
    StringBuilder b = new StringBuilder();
    producerProperties().forEach((k, v) -> b.append("    properties.").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  /**
   * Hudi sink YAML lines: {@code commit.interval}, a long active timeline (so that the latency measurement finds
   * every commit of a run: archived commits are not read), then {@code --hudi-option}s.
   */
  String hudiProperties() {
    StringBuilder b = new StringBuilder();
    b.append("    commit.interval: ").append(hudiCommitInterval).append('\n');
    b.append("    hoodie.keep.min.commits: 1000\n    hoodie.keep.max.commits: 1010\n");
    hudiOptions.forEach((k, v) -> b.append("    ").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  /** Source YAML lines shared by every pipeline. */
  String sourceOptions() {
    StringBuilder b = new StringBuilder("  poll.interval.ms: " + pollIntervalMs + "\n");
    sourceOptionsExtra.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
    return b.toString();
  }

  /** Parameters for the report. */
  Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("streamRows", streamRows);
    m.put("rates", rates);
    m.put("phaseSeconds", phaseSeconds);
    m.put("parallelism", parallelism);
    m.put("snapshotCheckpointInterval", snapshotCheckpointInterval);
    m.put("streamCheckpointInterval", streamCheckpointInterval);
    m.put("streamRuns", streamRuns);
    m.put("poll.interval.ms", pollIntervalMs);
    m.put("producer", producerProperties());
    m.put("sourceOptions", sourceOptionsExtra);
    m.put("hudiCommitInterval", hudiCommitInterval);
    m.put("hudiOptions", hudiOptions);
    return m;
  }
}
