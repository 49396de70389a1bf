package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.progress.ProgressMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Helpers to plan and run pipelines from YAML text with the real factories. */
final class Pipelines {
  private Pipelines() {}

  /** Parses YAML text (with {@code ${env:...}} references resolved from {@code env}) and plans it. */
  static PipelinePlan plan(String yaml, Map<String, String> env, Path dir) throws Exception {
    Path file = Files.createTempFile(dir, "pipeline", ".yaml");
    Files.writeString(file, yaml);
    FactoryRegistry factories = FactoryRegistry.load();
    ParseResult parsed = new PipelineParser(factories, SecretResolver.withEnv(env)).parseWithWarnings(file);
    return PipelinePlanner.plan(parsed.definition(), factories);
  }

  /** The env map the test YAMLs use for service addresses. */
  static Map<String, String> env(Services s, Path lake) {
    return Map.of(
        "PG_PORT", Integer.toString(s.postgres.port()),
        "PG_USER", s.postgres.user(),
        "PG_PASSWORD", s.postgres.password() == null ? "" : s.postgres.password(),
        "KAFKA", s.kafka.bootstrapServers(),
        "REGISTRY", s.registry.ccompatUrl(),
        "LAKE", lake.toUri().toString().replaceAll("/$", ""));
  }

  /** Sum of a per-table counter ({@code snapshotRows} or {@code changes}) over all tables. */
  static long tableCounter(String name) {
    return ProgressMetrics.sum("tributary.table.", "." + name);
  }

  /** Waits until {@code done} holds, failing when the job ends or the timeout passes. */
  static void await(LocalPipelineRunner runner, BooleanSupplier done, Duration timeout, String what) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (runner.isDone()) {
        runner.awaitTermination();
        throw new AssertionError("job ended while waiting for " + what);
      }
      assertThat(System.nanoTime()).as("waiting for %s; counters %s", what, ProgressMetrics.snapshot()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
