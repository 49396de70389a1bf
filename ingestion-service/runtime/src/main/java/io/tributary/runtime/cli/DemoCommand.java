package io.tributary.runtime.cli;

import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.embedded.EmbeddedKafka;
import io.tributary.embedded.EmbeddedMariaDb;
import io.tributary.embedded.EmbeddedPostgres;
import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.check.ComparisonTable;
import io.tributary.runtime.check.ConsistencyCheck;
import io.tributary.runtime.check.TableComparison;
import io.tributary.runtime.demo.ShopDatabase;
import io.tributary.runtime.demo.ShopMySqlDatabase;
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
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code tributary demo}: starts embedded PostgreSQL, Kafka and Apicurio on 127.0.0.1, creates the shop database,
 * runs {@code config/examples/shop-demo.yaml} into Kafka and Hudi, applies a live workload, stops the pipeline with a
 * savepoint, then compares every table in the database with its Kafka topic and its Hudi table and prints the
 * result. Exit code 0 when all match. Everything it started is stopped and its temp directory removed.
 *
 * <p>With {@code --source mysql} the database is an embedded MariaDB 10.11 ({@link EmbeddedMariaDb}) instead, with
 * the MySQL flavour of the shop ({@link ShopMySqlDatabase}: the common MySQL types, and an {@code audit_log} table the
 * pipeline excludes), a least-privilege CDC user, and {@code config/examples/shop-mysql.yaml}.
 */
@Command(name = "demo",
    description = "Run the shop demo end to end on embedded PostgreSQL (or MariaDB), Kafka and Apicurio.")
public final class DemoCommand implements Callable<Integer> {
  /** The pipeline of the PostgreSQL demo. */
  static final Path POSTGRES_PIPELINE = Path.of("config/examples/shop-demo.yaml");

  /** The pipeline of the MySQL / MariaDB demo. */
  static final Path MYSQL_PIPELINE = Path.of("config/examples/shop-mysql.yaml");

  /** The account the MySQL demo's pipeline reads the binary log with. */
  static final String MYSQL_CDC_USER = "tributary_cdc";

  @Option(names = "--source", defaultValue = "postgres", converter = SourceConverter.class,
      description = "source database: postgres (embedded PostgreSQL) or mysql (embedded MariaDB 10.11)"
          + " (default ${DEFAULT-VALUE})")
  Source source;

  @Option(names = "--pipeline",
      description = "demo pipeline (default config/examples/shop-demo.yaml; with --source mysql"
          + " config/examples/shop-mysql.yaml)")
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
    try {
      return source == Source.MYSQL ? runMySql(work) : runPostgres(work);
    } finally {
      if (!keep) {
        io.tributary.embedded.TempDirs.deleteQuietly(work);
      } else {
        out.println("Kept " + work);
      }
    }
  }

  private int runPostgres(Path work) throws Exception {
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
      putShared(env, kafka, registry, work);
      return runPipeline(work, env, new Workload(jdbc, pg.user(), pg.password(), orders + 1L, customers),
          ConsistencyCheck.jdbc(jdbc, pg.user(), pg.password()));
    }
  }

  private int runMySql(Path work) throws Exception {
    step("Starting MariaDB, Kafka and Apicurio Registry on 127.0.0.1 (work dir " + work + ")");
    try (EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        EmbeddedApicurio registry = EmbeddedApicurio.start()) {
      out.printf("  MariaDB    %s (%s)%n  Kafka      %s%n  Registry   %s%n", mariaDb.jdbcUrl("shop"), mariaDb.version(),
          kafka.bootstrapServers(), registry.ccompatUrl());
      // the source reads TIMESTAMP columns in its server-time-zone (UTC): make the server agree on any machine
      mariaDb.execute(null, "SET GLOBAL time_zone = '+00:00'");
      mariaDb.createDatabase("shop");
      String jdbc = mariaDb.jdbcUrl("shop");
      step("Creating the shop database: " + customers + " customers, " + orders + " orders, and "
          + ShopMySqlDatabase.AUDIT_LOG + " (not captured)");
      ShopMySqlDatabase.create(jdbc, mariaDb.rootUser(), mariaDb.rootPassword(), customers, orders);
      String cdcPassword = UUID.randomUUID().toString();
      mariaDb.createCdcUser(MYSQL_CDC_USER, cdcPassword);
      out.printf("  CDC user   %s (reads tables and the binary log; no writes)%n", MYSQL_CDC_USER);

      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("DEMO_MYSQL_PORT", Integer.toString(mariaDb.port()));
      env.put("DEMO_MYSQL_USER", MYSQL_CDC_USER);
      env.put("DEMO_MYSQL_PASSWORD", cdcPassword);
      putShared(env, kafka, registry, work);
      return runPipeline(work, env,
          Workload.mySql(jdbc, mariaDb.rootUser(), mariaDb.rootPassword(), orders + 1L, customers),
          ConsistencyCheck.jdbc(jdbc, mariaDb.rootUser(), mariaDb.rootPassword()));
    }
  }

  private static void putShared(Map<String, String> env, EmbeddedKafka kafka, EmbeddedApicurio registry, Path work) {
    env.put("DEMO_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("DEMO_REGISTRY_URL", registry.ccompatUrl());
    env.put("DEMO_LAKE_URI", work.resolve("lake").toUri().toString().replaceAll("/$", ""));
  }

  /** Runs the pipeline over the filled database, applies the workload, stops, compares; 0 when all match. */
  private int runPipeline(Path work, Map<String, String> env, Workload workload, ConsistencyCheck.SourceReader reader)
      throws Exception {
    Path pipeline = pipeline();
    FactoryRegistry factories = FactoryRegistry.load();
    ParseResult parsed =
        new PipelineParser(factories, SecretResolver.withEnv(env)).parseWithWarnings(resolve(pipeline));
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
    List<TableComparison> results = ConsistencyCheck.run(plan.definition(), plan.tables(), reader);
    boolean ok = ComparisonTable.print(out, results);
    out.printf("%nDemo %s in %.0f s.%n", ok ? "succeeded: database, Kafka and Hudi match" : "FAILED: mismatches above", seconds());
    return ok ? 0 : 1;
  }

  /** The pipeline given, or the source's demo pipeline. */
  Path pipeline() {
    return pipeline != null ? pipeline : source == Source.MYSQL ? MYSQL_PIPELINE : POSTGRES_PIPELINE;
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

  /** The demo's source database. */
  public enum Source {
    /** Embedded PostgreSQL and {@code config/examples/shop-demo.yaml}. */
    POSTGRES,
    /** Embedded MariaDB 10.11 and {@code config/examples/shop-mysql.yaml}. */
    MYSQL
  }

  /** Reads {@code --source}: {@code postgres} or {@code mysql}, any case. */
  static final class SourceConverter implements ITypeConverter<Source> {
    @Override
    public Source convert(String value) {
      for (Source s : Source.values()) {
        if (s.name().equalsIgnoreCase(value)) {
          return s;
        }
      }
      throw new TypeConversionException("'" + value + "' is not a demo source; use postgres or mysql");
    }
  }
}
