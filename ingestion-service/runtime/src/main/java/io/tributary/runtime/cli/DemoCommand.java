package io.tributary.runtime.cli;

import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.embedded.EmbeddedPostgres;
import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.check.ComparisonTable;
import io.tributary.runtime.check.ConsistencyCheck;
import io.tributary.runtime.check.TableComparison;
import io.tributary.runtime.demo.ShopDatabase;
import io.tributary.runtime.demo.Workload;
import io.tributary.runtime.progress.ProgressMetrics;
import io.tributary.runtime.progress.ProgressView;
import io.tributary.runtime.progress.TableEventCounter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tributary demo}: starts embedded PostgreSQL, Kafka and Apicurio on 127.0.0.1, creates the shop database,
 * runs {@code config/examples/shop-demo.yaml} into Kafka and Hudi, applies a live workload, stops the pipeline with a
 * savepoint, then compares every table in the database with its Kafka topic and its Hudi table and prints the
 * result. Exit code 0 when all match. Everything it started is stopped and its temp directory removed.
 */
@Command(name = "demo", description = "Run the shop demo end to end on embedded PostgreSQL, Kafka and Apicurio.")
public final class DemoCommand implements Callable<Integer> {
  @Option(names = "--pipeline", defaultValue = "config/examples/shop-demo.yaml", description = "demo pipeline (default ${DEFAULT-VALUE})")
  Path pipeline;

  @Option(names = "--customers", defaultValue = "20000", description = "customer rows (default ${DEFAULT-VALUE})")
  int customers;

  @Option(names = "--orders", defaultValue = "80000", description = "order rows (default ${DEFAULT-VALUE})")
  int orders;

  @Option(names = "--workload-seconds", defaultValue = "15", description = "seconds of live changes (default ${DEFAULT-VALUE})")
  int workloadSeconds;

  @Option(names = "--tx-per-second", defaultValue = "100", description = "live transactions per second, 5 changes each (default ${DEFAULT-VALUE})")
  int txPerSecond;

  @Option(names = "--keep", description = "keep the demo's temp directory (data, lake, checkpoints)")
  boolean keep;

  private final PrintStream out = System.out;
  private long started;

  @Override
  public Integer call() throws Exception {
    started = System.nanoTime();
    Path work = Files.createTempDirectory("tributary-demo");
    step("Starting PostgreSQL, Kafka and Apicurio Registry on 127.0.0.1 (work dir " + work + ")");
    try (EmbeddedPostgres pg = EmbeddedPostgres.start();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedApicurio registry = EmbeddedApicurio.start()) {
      out.printf("  PostgreSQL %s%n  Kafka      %s%n  Registry   %s%n", pg.jdbcUrl("shop"), kafka.bootstrapServers(), registry.ccompatUrl());
      pg.createDatabase("shop");
      String jdbc = pg.jdbcUrl("shop");
      step("Creating the shop database: " + customers + " customers, " + orders + " orders");
      ShopDatabase.create(jdbc, pg.user(), pg.password(), customers, orders);

      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("DEMO_PG_PORT", Integer.toString(pg.port()));
      env.put("DEMO_PG_USER", pg.user());
      env.put("DEMO_PG_PASSWORD", pg.password() == null ? "" : pg.password());
      env.put("DEMO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
      env.put("DEMO_REGISTRY_URL", registry.ccompatUrl());
      env.put("DEMO_LAKE_URI", work.resolve("lake").toUri().toString().replaceAll("/$", ""));
      FactoryRegistry factories = FactoryRegistry.load();
      ParseResult parsed = new PipelineParser(factories, SecretResolver.withEnv(env)).parseWithWarnings(resolve(pipeline));
      PipelinePlan plan = PipelinePlanner.plan(parsed.definition(), factories);
      step("Running pipeline '" + plan.definition().pipeline().name() + "' from " + pipeline + " ("
          + plan.tables().size() + " tables, " + plan.definition().sinks().size() + " sinks)");
      LocalPipelineRunner runner = LocalPipelineRunner.start(plan, work.resolve("state"), 2);
      Map<String, Long> counters;
      try {
        long total = (long) customers + orders;
        try (ProgressView view = new ProgressView(plan, out)) {
          waitFor(runner, view, () -> ProgressMetrics.sum("tributary.table.", "." + TableEventCounter.SNAPSHOT_ROWS) >= total, Duration.ofMinutes(10));
        }
        step("Snapshot done. Applying live changes for " + workloadSeconds + " s (" + txPerSecond + " tx/s)");
        Workload workload = new Workload(jdbc, pg.user(), pg.password(), orders + 1L, customers);
        workload.run(Duration.ofSeconds(workloadSeconds), txPerSecond);
        out.printf("  applied %d inserts, %d updates, %d deletes%n", workload.inserts(), workload.updates(), workload.deletes());
        try (ProgressView view = new ProgressView(plan, out)) {
          waitFor(runner, view, () -> ProgressMetrics.sum("tributary.table.", "." + TableEventCounter.CHANGES) >= workload.changes(), Duration.ofMinutes(5));
        }
        counters = ProgressMetrics.snapshot();
        step("All changes captured. Stopping with a savepoint (commits the last Kafka transactions and Hudi instants)");
        runner.stop(Duration.ofMinutes(3));
      } finally {
        runner.close(); // a no-op after a clean stop; stops the job when a step above failed
      }
      counters.forEach((k, v) -> out.printf("  %-60s %d%n", k, v));

      step("Reading back: Kafka topics (read_committed, decoded through the registry) and Hudi tables (Spark)");
      List<TableComparison> results =
          ConsistencyCheck.run(plan.definition(), plan.tables(), ConsistencyCheck.jdbc(jdbc, pg.user(), pg.password()));
      boolean ok = ComparisonTable.print(out, results);
      out.printf("%nDemo %s in %.0f s.%n", ok ? "succeeded: database, Kafka and Hudi match" : "FAILED: mismatches above", seconds());
      return ok ? 0 : 1;
    } finally {
      if (!keep) {
        io.tributary.embedded.TempDirs.deleteQuietly(work);
      } else {
        out.println("Kept " + work);
      }
    }
  }

  private void waitFor(LocalPipelineRunner runner, ProgressView view, java.util.function.BooleanSupplier done, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (runner.isDone()) {
        runner.awaitTermination();
        throw new IllegalStateException("the pipeline ended before the demo expected it to");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout + " waiting for the pipeline; counters: " + ProgressMetrics.snapshot());
      }
      view.refresh();
      Thread.sleep(300);
    }
  }

  private void step(String s) {
    out.printf("%n[%5.1f s] %s%n", seconds(), s);
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** A relative path that does not exist here is taken relative to the Tributary checkout ({@code tributary.home}). */
  static Path resolve(Path p) {
    String home = System.getProperty("tributary.home");
    return p.isAbsolute() || Files.exists(p) || home == null ? p : Path.of(home).resolve(p);
  }


}
