package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.LocalPipelineRunner;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.check.ConsistencyCheck;
import io.tributary.runtime.check.TableComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL -> Hudi end to end, for COPY_ON_WRITE and MERGE_ON_READ: a snapshot, then transactions that each mix
 * inserts of new keys with updates and deletes of existing keys inside one checkpoint; the Hudi table is read back
 * with Spark 3.5 and the Hudi Spark bundle (what a lakehouse user runs) and compared row by row with the table. On
 * MERGE_ON_READ, compaction runs every 2 delta commits and the check happens after at least one compaction.
 */
class PostgresToHudiITCase {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"copy-on-write", "merge-on-read"})
  void lakeMatchesTheTableRowByRow(String tableType) throws Exception {
    Services s = Services.get();
    String db = "hudi_it_" + tableType.replace('-', '_');
    s.createDatabase(db,
        "CREATE TABLE public.events (id bigint PRIMARY KEY, kind varchar(20) NOT NULL, amount numeric(8,3),"
            + " happened_at timestamp, day date, payload jsonb, ratio double precision, flag boolean, ext uuid)",
        "ALTER TABLE public.events REPLICA IDENTITY FULL",
        "INSERT INTO public.events SELECT g, 'kind' || (g % 7), g / 8.0, timestamp '2024-03-01 10:00' + g * interval '1 minute',"
            + " date '2024-03-01' + g % 30, jsonb_build_object('n', g), g / 3.0, g % 3 = 0, md5(g::text)::uuid"
            + " FROM generate_series(1, 2000) g");
    String yaml = """
        pipeline:
          name: hudi-it-%s
          parallelism: 2
          checkpoint.interval: 1s
        source:
          type: postgres
          hostname: 127.0.0.1
          port: ${env:PG_PORT}
          database: %s
          username: ${env:PG_USER}
          password: ${env:PG_PASSWORD}
          tables: [public.events]
        sinks:
          - type: hudi
            path: ${env:LAKE}/${table}
            table.type: %s
            compaction.delta.commits: 2
        """.formatted(tableType, db, tableType);
    PipelinePlan plan = Pipelines.plan(yaml, Pipelines.env(s, dir.resolve("lake")), dir);
    LocalPipelineRunner runner = LocalPipelineRunner.start(plan, dir.resolve("state"), 1);
    try {
      Pipelines.await(runner, () -> Pipelines.tableCounter("snapshotRows") >= 2000, Duration.ofMinutes(3), "snapshot");
      int changes = 0;
      for (int round = 0; round < 6; round++) {
        int base = 10_000 + round * 100;
        changes += s.execute(db,
            "INSERT INTO public.events SELECT g, 'live', 1.5, now()::timestamp, current_date, '{}', 0.5, true, NULL"
                + " FROM generate_series(" + base + ", " + (base + 49) + ") g",
            "UPDATE public.events SET amount = amount + 1, kind = 'updated" + round + "' WHERE id % 40 = " + round,
            "DELETE FROM public.events WHERE id % 97 = " + round,
            "UPDATE public.events SET flag = NOT flag WHERE id BETWEEN " + base + " AND " + (base + 9),
            "DELETE FROM public.events WHERE id = " + (base + 49));
        Thread.sleep(1500);
      }
      int expected = changes;
      Pipelines.await(runner, () -> Pipelines.tableCounter("changes") >= expected, Duration.ofMinutes(2), "changes");
      runner.stop(Duration.ofMinutes(3));
    } finally {
      runner.close();
    }
    List<TableComparison> results = ConsistencyCheck.run(plan.definition(), plan.tables(),
        ConsistencyCheck.jdbc(s.postgres.jdbcUrl(db), s.postgres.user(), s.postgres.password()));
    assertThat(results).hasSize(1);
    TableComparison cmp = results.get(0);
    assertThat(cmp.examples()).isEmpty();
    assertThat(cmp.matches()).isTrue();
    assertThat(cmp.sourceRows()).isGreaterThan(2000);
    if (tableType.equals("merge-on-read")) {
      assertThat(completedCompactions(dir.resolve("lake").resolve("events"))).as("compaction ran").isPositive();
    }
  }

  /** Completed compaction instants: on a MERGE_ON_READ timeline these are the {@code .commit} files. */
  private static long completedCompactions(Path table) throws IOException {
    try (Stream<Path> s = Files.walk(table.resolve(".hoodie"), 2)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".commit")).count();
    }
  }
}
