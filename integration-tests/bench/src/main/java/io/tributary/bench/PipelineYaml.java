package io.tributary.bench;

import java.nio.file.Path;

/**
 * Writes the pipeline YAML of one benchmark scenario: the PostgreSQL source on one bench table, parallelism and
 * checkpoint interval, and any of a Kafka sink (Debezium envelope, {@code bench.<run>.<table>} topics) and a Hudi
 * sink ({@code <work>/lake/<run>/<table>}). Credentials are {@code ${env:BENCH_PG_*}} references that
 * {@link BenchServices#plan} resolves.
 */
public final class PipelineYaml {
  private final BenchServices services;
  private final String name;
  private String table = BenchDatabase.ITEMS;
  private String startup = "snapshot";
  private int parallelism = 2;
  private String checkpointInterval = "10s";
  private String guarantee = "exactly-once";
  private boolean kafka;
  private String hudiType;
  private String kafkaProperties = "";
  private String sourceOptions = "";
  private String hudiProperties = "";

  /**
   * @param name pipeline name (also names its slot, publication, topics and lake directory)
   */
  public PipelineYaml(BenchServices services, String name) {
    this.services = services;
    this.name = name;
  }

  /** Replication slot and publication name of a pipeline. */
  public static String slot(String pipelineName) {
    return "bench_" + pipelineName.replace('-', '_');
  }

  /** The captured table ({@code schema.table}). */
  public PipelineYaml table(String t) {
    table = t;
    return this;
  }

  /** {@code startup.mode}: snapshot (job ends after it), initial or latest. */
  public PipelineYaml startup(String mode) {
    startup = mode;
    return this;
  }

  /** Flink parallelism. */
  public PipelineYaml parallelism(int p) {
    parallelism = p;
    return this;
  }

  /** Checkpoint interval, e.g. {@code 2s}. */
  public PipelineYaml checkpointInterval(String interval) {
    checkpointInterval = interval;
    return this;
  }

  /** {@code exactly-once} or {@code at-least-once}. */
  public PipelineYaml guarantee(String g) {
    guarantee = g;
    return this;
  }

  /** Adds the Kafka sink. */
  public PipelineYaml kafka() {
    kafka = true;
    return this;
  }

  /** Extra Kafka sink lines, e.g. {@code "    properties.linger.ms: 5\n"}. */
  public PipelineYaml kafkaProperties(String lines) {
    kafkaProperties = lines;
    return this;
  }

  /** Extra source lines, e.g. {@code "  poll.interval.ms: 20\n"}. */
  public PipelineYaml sourceOptions(String lines) {
    sourceOptions = lines;
    return this;
  }

  /** Extra Hudi sink lines, e.g. {@code "    hoodie.metadata.enable: false\n"}. */
  public PipelineYaml hudiProperties(String lines) {
    hudiProperties = lines;
    return this;
  }

  /** Adds the Hudi sink with {@code table.type} copy-on-write or merge-on-read. */
  public PipelineYaml hudi(String tableType) {
    hudiType = tableType;
    return this;
  }

  /** The pipeline name. */
  public String name() {
    return name;
  }

  /** Kafka topic of the captured table. */
  public String topic() {
    return "bench." + name + "." + table.substring(table.indexOf('.') + 1);
  }

  /** Base path of the captured table's Hudi table. */
  public Path lakePath() {
    return services.work.resolve("lake").resolve(name).resolve(table.substring(table.indexOf('.') + 1));
  }

  /** The YAML text. */
  public String yaml() {
    StringBuilder y = new StringBuilder();
    y.append("pipeline:\n  name: ").append(name).append("\n  parallelism: ").append(parallelism)
        .append("\n  checkpoint.interval: ").append(checkpointInterval)
        .append("\n  delivery.guarantee: ").append(guarantee)
        .append("\n  state.dir: ").append(services.work.resolve("state").resolve(name)).append('\n');
    y.append("source:\n  type: postgres\n  hostname: 127.0.0.1\n  port: ").append(services.pg.port())
        .append("\n  database: ").append(BenchServices.DATABASE)
        .append("\n  username: ${env:BENCH_PG_USER}\n  password: ${env:BENCH_PG_PASSWORD}\n  tables: [")
        .append(table).append("]\n  startup.mode: ").append(startup)
        .append("\n  slot.name: ").append(slot(name)).append("\n  publication.name: ").append(slot(name)).append('\n')
        .append(sourceOptions);
    y.append("schema:\n  registry.url: ").append(services.registry.ccompatUrl()).append("\n  compatibility: BACKWARD\n");
    y.append("sinks:\n");
    if (kafka) {
      y.append("  - type: kafka\n    bootstrap.servers: ").append(services.kafka.bootstrapServers())
          .append("\n    topic: bench.").append(name).append(".${table}\n    topic.partitions: ").append(parallelism)
          .append("\n    envelope: debezium\n").append(kafkaProperties);
    }
    if (hudiType != null) {
      y.append("  - type: hudi\n    path: ")
          .append(services.work.resolve("lake").resolve(name).toUri().toString().replaceAll("/$", ""))
          .append("/${table}\n    table.type: ").append(hudiType).append('\n').append(hudiProperties);
    }
    y.append("errors:\n  mode: fail\n");
    return y.toString();
  }
}
