package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.cli.TributaryCli;
import io.tributary.schema.TableSchema;
import io.tributary.sink.hudi.HudiBackdoor;
import io.tributary.sink.hudi.HudiPipelineSink;
import io.tributary.source.postgres.PostgresSlots;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tributary verify} through picocli against real PostgreSQL, Kafka, Apicurio and Spark: a pipeline like the
 * demo's (two tables, one with a composite key, into Kafka with tombstones and a MERGE_ON_READ Hudi table) runs; right
 * after live changes, verify waits for the pipeline and reports a match (exit 0). Then the pipeline is stopped, one row
 * is deleted from a Hudi table with the sink's own writer, and verify reports that key missing in the Hudi sink only
 * (exit 1). In between, a verify on the quiet pipeline shows that it needs no heartbeat to see that nothing is
 * pending. Verify of a pipeline whose replication slot does not exist cannot check (exit 2).
 */
class VerifyITCase {
  private static final String DB = "verify_it";
  private static final String SLOT = "tributary_verify_it";

  @TempDir static Path dir;

  private static LocalPipelineRunner runner;

  @AfterAll
  static void cleanUp() throws Exception {
    if (runner != null) {
      runner.close();
    }
    Services s = Services.get();
    PostgresSlots.drop(s.postgres.jdbcUrl(DB), s.postgres.user(), s.postgres.password(), SLOT, SLOT);
  }

  @Test
  void matchesWhileRunningThenReportsARowRemovedFromHudi() throws Exception {
    Services s = Services.get();
    s.createDatabase(DB,
        "CREATE TABLE public.items (id bigint PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2),"
            + " updated_at timestamp, tag uuid)",
        "ALTER TABLE public.items REPLICA IDENTITY FULL",
        "CREATE TABLE public.item_events (item_id bigint, seq int, kind text NOT NULL, at timestamptz,"
            + " PRIMARY KEY (item_id, seq))",
        "ALTER TABLE public.item_events REPLICA IDENTITY FULL",
        "INSERT INTO public.items SELECT g, 'item ' || g, g * 1.25, timestamp '2024-05-01 08:00' + g * interval '1 h',"
            + " md5(g::text)::uuid FROM generate_series(1, 300) g",
        "INSERT INTO public.item_events SELECT g % 100 + 1, g, 'created', timestamptz '2024-05-01 08:00+02'"
            + " + g * interval '1 min' FROM generate_series(1, 200) g");
    Path file = pipelineFile("verify-it", null);
    PipelinePlan plan = plan(file);
    runner = LocalPipelineRunner.start(plan, dir.resolve("state"), 1);
    Pipelines.await(runner, () -> Pipelines.tableCounter("snapshotRows") >= 500, Duration.ofMinutes(3), "snapshot");

    // (a) live changes, then verify at once: it waits for the sinks to catch up and finds them equal
    s.execute(DB,
        "INSERT INTO public.items SELECT g, 'new ' || g, 9.99, now()::timestamp, NULL FROM generate_series(301, 330) g",
        "UPDATE public.items SET price = price + 1, name = 'renamed' WHERE id % 10 = 0",
        "DELETE FROM public.items WHERE id BETWEEN 50 AND 54");
    s.execute(DB,
        "UPDATE public.item_events SET kind = 'shipped' WHERE seq % 7 = 0",
        "DELETE FROM public.item_events WHERE seq BETWEEN 100 AND 109",
        "INSERT INTO public.item_events VALUES (1, 1000, 'late', now())");
    long start = System.nanoTime();
    Run running = verify(file.toString(), "--timeout", "3min");
    System.out.printf("verify on the running pipeline took %.1f s%n", (System.nanoTime() - start) / 1e9);
    assertThat(running.code).as(running.out).isZero();
    assertThat(running.out)
        .containsPattern("verify_it\\.public\\.items\\s+kafka-0\\s+325\\s+325\\s+0\\s+0\\s+0\\s+MATCH")
        .containsPattern("verify_it\\.public\\.items\\s+hudi-1\\s+325\\s+325\\s+0\\s+0\\s+0\\s+MATCH")
        .containsPattern("verify_it\\.public\\.item_events\\s+kafka-0\\s+191\\s+191\\s+0\\s+0\\s+0\\s+MATCH")
        .containsPattern("verify_it\\.public\\.item_events\\s+hudi-1\\s+191\\s+191\\s+0\\s+0\\s+0\\s+MATCH")
        .contains("has committed every change before")
        .contains("MATCH: pipeline verify-it")
        .doesNotContain("compared the sinks as they are");

    // (a') one more change on a quiet pipeline: the slot confirms the change's own position, before its commit
    // record, and the heartbeat (10 min here) does not move it on; counting the changes pending in a copy of the slot
    // tells that nothing is missing, so verify need not wait for a heartbeat
    long changes = Pipelines.tableCounter("changes");
    s.update(DB, "UPDATE public.items SET name = 'quiet' WHERE id = 7");
    Pipelines.await(runner, () -> Pipelines.tableCounter("changes") > changes, Duration.ofMinutes(1), "the change");
    Thread.sleep(10_000); // a few checkpoints, so that the slot confirms the change
    Run quiet = verify(file.toString(), "--rounds", "1", "--timeout", "1min");
    assertThat(quiet.code).as(quiet.out).isZero();
    assertThat(quiet.out).contains("no change to a captured table in between").contains("MATCH: pipeline verify-it");

    // (b) stop the pipeline, delete one row from the Hudi table behind its back
    runner.stop(Duration.ofMinutes(2));
    TableSchema items = plan.tables().stream().filter(t -> t.tableId().table().equals("items")).findFirst().orElseThrow();
    HudiPipelineSink hudi = (HudiPipelineSink) plan.sinks().get(1);
    HudiBackdoor.delete(hudi, items, Map.of("id", 42L));
    Path json = dir.resolve("verify.json");
    Run stopped = verify(file.toString(), "--json", json.toString());
    assertThat(stopped.code).as(stopped.out).isEqualTo(1);
    assertThat(stopped.out)
        .contains("is not active: the pipeline is not running")
        .contains("compared the sinks as they are")
        .containsPattern("verify_it\\.public\\.items\\s+kafka-0\\s+325\\s+325\\s+0\\s+0\\s+0\\s+MATCH")
        .containsPattern("verify_it\\.public\\.items\\s+hudi-1\\s+325\\s+324\\s+1\\s+0\\s+0\\s+MISMATCH")
        .contains("      missing key 42")
        .containsPattern("verify_it\\.public\\.item_events\\s+hudi-1\\s+191\\s+191\\s+0\\s+0\\s+0\\s+MATCH")
        .contains("MISMATCH: pipeline verify-it");
    String report = Files.readString(json);
    assertThat(report).contains("\"result\" : \"MISMATCH\"").contains("\"running\" : false")
        .contains("missing key 42");
  }

  @Test
  void aPipelineWithoutItsReplicationSlotCannotBeChecked() throws Exception {
    Services s = Services.get();
    s.createDatabase("verify_it_noslot",
        "CREATE TABLE public.items (id bigint PRIMARY KEY, name varchar(40) NOT NULL, price numeric(10,2),"
            + " updated_at timestamp, tag uuid)",
        "CREATE TABLE public.item_events (item_id bigint, seq int, kind text NOT NULL, at timestamptz,"
            + " PRIMARY KEY (item_id, seq))");
    Path file = pipelineFile("verify-it-noslot", "verify_it_noslot");
    Run r = verify(file.toString());
    assertThat(r.code).as(r.out).isEqualTo(2);
    assertThat(r.out).contains("Cannot verify: replication slot tributary_verify_it_noslot does not exist");
  }

  /** Writes the pipeline YAML with the services' addresses; the password comes from a file reference. */
  private static Path pipelineFile(String name, String database) throws Exception {
    Services s = Services.get();
    Files.writeString(dir.resolve("pg.password"), s.postgres.password());
    String yaml = """
        pipeline:
          name: %s
          parallelism: 1
          checkpoint.interval: 2s
        source:
          type: postgres
          hostname: 127.0.0.1
          port: %d
          database: %s
          username: %s
          password: ${file:pg.password}
          tables: [public.items, "public\\\\.item_ev.*"]
          heartbeat.interval.ms: 600000
        schema:
          registry.url: %s
        sinks:
          - type: kafka
            bootstrap.servers: %s
            topic: %s.${schema}.${table}
            envelope: debezium
            tombstones.on.delete: true
          - type: hudi
            path: %s/${table}
            table.type: merge-on-read
            compaction.delta.commits: 4
        errors:
          mode: fail
        """.formatted(name, s.postgres.port(), database == null ? DB : database, s.postgres.user(),
        s.registry.ccompatUrl(), s.kafka.bootstrapServers(), name,
        dir.resolve("lake-" + name).toUri().toString().replaceAll("/$", ""));
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static PipelinePlan plan(Path file) throws Exception {
    FactoryRegistry factories = FactoryRegistry.load();
    ParseResult parsed = new PipelineParser(factories, SecretResolver.fromSystem()).parseWithWarnings(file);
    return PipelinePlanner.plan(parsed.definition(), factories);
  }

  /** Runs {@code tributary verify ...} through picocli, echoing and capturing what it prints. */
  private static Run verify(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "verify";
    System.arraycopy(args, 0, all, 1, args.length);
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream tee = new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8)) {
      System.setOut(tee);
      code = new CommandLine(new TributaryCli()).execute(all);
    } finally {
      System.setOut(original);
    }
    return new Run(code, captured.toString(StandardCharsets.UTF_8));
  }

  private record Run(int code, String out) {}

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
