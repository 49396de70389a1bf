package io.tributary.bench;

import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.embedded.EmbeddedPostgres;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.source.postgres.PostgresSlots;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The services one benchmark run starts once, on 127.0.0.1: PostgreSQL (database {@code bench}), Kafka and Apicurio,
 * plus the work directory (Hudi tables, Flink state, logs of child JVMs). Closing stops all of them.
 */
public final class BenchServices implements AutoCloseable {
  /** The benchmark's database. */
  public static final String DATABASE = "bench";

  final EmbeddedPostgres pg;
  final EmbeddedKafka kafka;
  final EmbeddedApicurio registry;
  final Path work;
  final BenchDatabase db;
  private final FactoryRegistry factories = FactoryRegistry.load();

  private BenchServices(EmbeddedPostgres pg, EmbeddedKafka kafka, EmbeddedApicurio registry, Path work) {
    this.pg = pg;
    this.kafka = kafka;
    this.registry = registry;
    this.work = work;
    this.db = new BenchDatabase(pg.jdbcUrl(DATABASE), pg.user(), pg.password());
  }

  /**
   * Starts PostgreSQL, Kafka and Apicurio (each a child process) and creates the {@code bench} database.
   *
   * @param work directory for Hudi tables, Flink state and logs; the caller deletes it
   */
  public static BenchServices start(Path work) {
    EmbeddedPostgres pg = EmbeddedPostgres.start();
    EmbeddedKafka kafka = null;
    try {
      kafka = EmbeddedKafka.start();
      EmbeddedApicurio registry = EmbeddedApicurio.start();
      pg.createDatabase(DATABASE);
      return new BenchServices(pg, kafka, registry, work);
    } catch (RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      pg.close();
      throw e;
    }
  }

  /** JDBC URL of the bench database. */
  public String jdbcUrl() {
    return pg.jdbcUrl(DATABASE);
  }

  /**
   * Parses and plans a pipeline YAML written by {@link PipelineYaml} (its {@code ${env:BENCH_*}} references resolve
   * to this run's services); discovery connects to PostgreSQL.
   *
   * @throws Exception if the YAML is invalid or discovery fails
   */
  public PipelinePlan plan(String yaml) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("BENCH_PG_USER", pg.user());
    env.put("BENCH_PG_PASSWORD", pg.password() == null ? "" : pg.password());
    ParseResult parsed = new PipelineParser(factories, SecretResolver.withEnv(env)).parseWithWarnings(yaml);
    return PipelinePlanner.plan(parsed.definition(), factories);
  }

  /** Drops a pipeline's replication slot and publication (named by {@link PipelineYaml#slot}). */
  public void dropSlot(String pipelineName) throws Exception {
    String slot = PipelineYaml.slot(pipelineName);
    PostgresSlots.drop(jdbcUrl(), pg.user(), pg.password(), slot, slot);
  }

  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      try {
        kafka.close();
      } finally {
        pg.close();
      }
    }
  }
}
