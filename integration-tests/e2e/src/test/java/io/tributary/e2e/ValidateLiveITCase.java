package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.cli.TributaryCli;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tributary validate --live}: every reason the pipeline would fail, found against the live PostgreSQL, Kafka
 * and registry before anything is deployed, printed at once; nothing is created or changed.
 */
class ValidateLiveITCase {
  private static final String DB = "validate_live";
  private static final String TOPIC_PREFIX = "vl";

  @TempDir static Path dir;

  @BeforeAll
  static void database() throws Exception {
    Services s = Services.get();
    s.createDatabase(DB,
        "CREATE TABLE public.good (id integer PRIMARY KEY, name text)",
        "CREATE TABLE public.nopk (id integer, name text)",
        "CREATE TABLE public.geo (id integer PRIMARY KEY, at point)",
        "CREATE TABLE public.tmp_new (id integer PRIMARY KEY)",
        "CREATE TABLE public.tmp_old (id integer PRIMARY KEY, at point)",
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'limited') THEN "
            + "CREATE ROLE limited LOGIN REPLICATION PASSWORD 'limited'; END IF; END $$",
        "GRANT SELECT ON public.good TO limited");
    // an earlier, unrelated schema under the subject the pipeline would use for public.good
    SchemaRegistryClient registry = new SchemaRegistryClient(s.registry.ccompatUrl());
    String subject = TOPIC_PREFIX + ".public.good-value";
    registry.register(subject, new Schema.Parser().parse(
        "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"other\",\"fields\":[{\"name\":\"x\",\"type\":\"string\"}]}"));
    registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);
  }

  private static Path pipeline(String user, String tables) throws Exception {
    Services s = Services.get();
    Path file = Files.createTempFile(dir, "pipeline", ".yaml");
    Files.writeString(file, """
        pipeline:
          name: validate-live
        source:
          type: postgres
          hostname: 127.0.0.1
          port: %d
          database: %s
          username: %s
          password: x
          tables: %s
          tables.exclude: ["public\\\\.tmp_old"]
        schema:
          registry.url: %s
        sinks:
          - type: kafka
            bootstrap.servers: %s
            topic: %s.${schema}.${table}
        """.formatted(s.postgres.port(), DB, user, tables, s.registry.ccompatUrl(), s.kafka.bootstrapServers(),
        TOPIC_PREFIX));
    return file;
  }

  private static String[] validate(Path file) {
    PrintStream original = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = new CommandLine(new TributaryCli()).execute("validate", "--live", file.toString());
    } finally {
      System.setOut(original);
    }
    return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void reportsSourceAndRegistryProblemsAtOnce() throws Exception {
    String[] r = validate(pipeline(Services.get().postgres.user(),
        "[public.good, public.nopk, public.geo, \"public\\\\.tmp_.*\"]"));
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1])
        .contains("problem(s) found against the live source and sinks")
        .contains("public.nopk").contains("no primary key")
        .contains("public.geo").contains("point")
        .doesNotContain("tmp_old")
        // replica identity DEFAULT: works, with less in the before-images
        .contains("warning:").contains("REPLICA IDENTITY FULL")
        .contains("subject vl.public.good-value (latest version 1, compatibility BACKWARD) would refuse");
    System.out.println(r[1]);
  }

  @Test
  void reportsMissingPrivileges() throws Exception {
    String[] r = validate(pipeline("limited", "[public.good, public.tmp_new]"));
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1])
        .contains("may not SELECT from public.tmp_new")
        .contains("neither owns")
        .contains("CREATE PUBLICATION");
    System.out.println(r[1]);
  }

  @Test
  void aDeclarationThatWorksIsOk() throws Exception {
    Services s = Services.get();
    s.execute(DB, "ALTER TABLE public.tmp_new REPLICA IDENTITY FULL");
    String[] r = validate(pipeline(s.postgres.user(), "[public.tmp_new]"));
    assertThat(r[1]).contains("OK (source, registry and sinks checked)");
    assertThat(r[0]).isEqualTo("0");
  }
}
