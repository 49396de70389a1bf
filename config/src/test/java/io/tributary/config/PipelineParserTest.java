package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.tributary.config.spi.FactoryRegistry;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import io.tributary.config.testing.TestLakeSinkFactory;
import io.tributary.config.testing.TestSourceFactory;
import io.tributary.config.testing.TestTopicSinkFactory;
import io.tributary.schema.CompatibilityLevel;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineParserTest {
  private static final String PG_PASSWORD = "s3cret-pg-value";
  private final PipelineParser parser =
      new PipelineParser(FactoryRegistry.load(), SecretResolver.withEnv(Map.of("SHOP_PG_PASSWORD", PG_PASSWORD)));

  static Path fixture(String name) {
    try {
      return Path.of(PipelineParserTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  private List<ConfigProblem> problems(String fixture) {
    PipelineValidationException e =
        catchThrowableOfType(() -> parser.parse(fixture(fixture)), PipelineValidationException.class);
    assertThat(e).as("%s must fail validation", fixture).isNotNull();
    assertThat(e.getMessage()).startsWith(fixture(fixture).toString() + " has " + e.problems().size() + " problem");
    return e.problems();
  }

  private ConfigProblem onlyProblem(String fixture) {
    List<ConfigProblem> problems = problems(fixture);
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  // ---- valid documents ----

  @Test
  void minimalPipelineGetsDefaults() {
    PipelineDefinition d = parser.parse(fixture("pipeline-minimal.yaml"));

    assertThat(d.file()).isEqualTo(fixture("pipeline-minimal.yaml").toString());
    assertThat(d.pipeline())
        .isEqualTo(
            new PipelineSettings("shop-orders", null, 1, Duration.ofSeconds(10), DeliveryGuarantee.EXACTLY_ONCE, null));
    assertThat(d.source().type()).isEqualTo("test-source");
    assertThat(d.source().options().asMap()).containsExactly(Map.entry("hostname", "127.0.0.1"));
    assertThat(d.source().options().path()).isEqualTo("source");
    assertThat(d.source().options().line("hostname")).isEqualTo(6);
    assertThat(d.schema()).isEqualTo(new SchemaSettings(null, CompatibilityLevel.BACKWARD, "topic"));
    assertThat(d.sinks()).hasSize(1);
    SinkDefinition sink = d.sinks().get(0);
    assertThat(sink.index()).isZero();
    assertThat(sink.type()).isEqualTo("test-topic");
    assertThat(sink.options().asMap())
        .containsExactly(Map.entry("type", "test-topic"), Map.entry("topic", "shop.${schema}.${table}"));
    assertThat(sink.options().path()).isEqualTo("sinks[0]");
    assertThat(sink.options().line("topic")).isEqualTo(9);
    assertThat(d.errors()).isEqualTo(new ErrorSettings(ErrorMode.FAIL, null));
  }

  @Test
  void fullPipelineReadsEveryBlockFlattensAndResolvesSecrets() {
    ParseResult result = parser.parseWithWarnings(fixture("pipeline-full.yaml"));
    PipelineDefinition d = result.definition();

    assertThat(result.warnings()).isEmpty();
    assertThat(d.pipeline())
        .isEqualTo(
            new PipelineSettings(
                "shop-orders",
                "team-commerce",
                2,
                Duration.ofSeconds(30),
                DeliveryGuarantee.AT_LEAST_ONCE,
                "/tmp/tributary/shop-orders"));

    Options source = d.source().options();
    assertThat(source.asMap())
        .containsExactly(
            Map.entry("hostname", "127.0.0.1"),
            Map.entry("port", "5433"),
            Map.entry("password", PG_PASSWORD),
            Map.entry("tables", "public.orders,public\\.order_items_.*"),
            Map.entry("startup.mode", "latest"),
            Map.entry("poll.interval", "20ms"),
            Map.entry("properties.slot.name", "shop_orders"),
            Map.entry("properties.decimal.handling.mode", "string"));
    assertThat(source.get(TestSourceFactory.TABLES)).containsExactly("public.orders", "public\\.order_items_.*");
    assertThat(source.get(TestSourceFactory.PORT)).isEqualTo(5433);
    assertThat(source.get(TestSourceFactory.POLL_INTERVAL)).isEqualTo(Duration.ofMillis(20));
    assertThat(source.get(TestSourceFactory.STARTUP_MODE)).isEqualTo(TestSourceFactory.StartupMode.LATEST);
    assertThat(source.line("poll.interval")).isEqualTo(17);
    assertThat(source.line("properties.decimal.handling.mode")).isEqualTo(20);
    assertThat(source.toString()).doesNotContain(PG_PASSWORD);

    assertThat(d.schema())
        .isEqualTo(
            new SchemaSettings(
                "http://127.0.0.1:8085/apis/ccompat/v7", CompatibilityLevel.FULL_TRANSITIVE, "topic"));

    assertThat(d.sinks()).extracting(SinkDefinition::index, SinkDefinition::type)
        .containsExactly(tuple(0, "test-topic"), tuple(1, "test-lake"));
    Options topic = d.sinks().get(0).options();
    assertThat(topic.asMap())
        .containsEntry("properties.acks", "all")
        .containsEntry("properties.linger.ms", "10")
        .containsEntry("properties.sasl.jaas.config", "alice-jaas-config");
    assertThat(topic.get(TestTopicSinkFactory.ENVELOPE)).isEqualTo(TestTopicSinkFactory.Envelope.ROW);
    Options lake = d.sinks().get(1).options();
    assertThat(lake.get(TestLakeSinkFactory.TABLE_TYPE)).isEqualTo(TestLakeSinkFactory.TableType.MERGE_ON_READ);
    assertThat(lake.get(TestLakeSinkFactory.PARTITION_FIELDS)).containsExactly("region", "day");
    assertThat(lake.getString("hoodie.parquet.small.file.limit")).isEqualTo("0");
    assertThat(lake.path()).isEqualTo("sinks[1]");
    assertThat(lake.line("table.type")).isEqualTo(35);

    assertThat(d.errors()).isEqualTo(new ErrorSettings(ErrorMode.DLQ, "shop.dlq", "127.0.0.1:9092"));
  }

  @Test
  void parsesFromAStringWithoutAFile() {
    PipelineDefinition d =
        parser.parse(
            "pipeline: {name: p1}\n"
                + "source: {type: test-source, hostname: h, tables: public.a}\n"
                + "sinks: [{type: test-topic, topic: t}]\n");
    assertThat(d.file()).isNull();
    assertThat(d.pipeline().name()).isEqualTo("p1");
    assertThat(d.source().options().get(TestSourceFactory.TABLES)).containsExactly("public.a");
  }

  @Test
  void createdSourceAndSinksSeeTheParsedOptions() throws Exception {
    FactoryRegistry registry = FactoryRegistry.load();
    PipelineDefinition d = parser.parse(fixture("pipeline-full.yaml"));

    var source = (TestSourceFactory.TestSource) registry.createSource(d);
    assertThat(source.options().get(TestSourceFactory.HOSTNAME)).isEqualTo("127.0.0.1");
    assertThat(source.discover().tables())
        .extracting(t -> t.tableId().schemaQualifiedName())
        .containsExactly("public.orders", "public\\.order_items_.*");

    var sinks = registry.createSinks(d);
    assertThat(sinks).hasSize(2);
    var first = (TestTopicSinkFactory.RecordingSink) sinks.get(0);
    assertThat(first.context().sinkName()).isEqualTo("test-topic-0");
    assertThat(first.context().pipeline()).isSameAs(d);
    assertThat(((TestTopicSinkFactory.RecordingSink) sinks.get(1)).context().sinkName()).isEqualTo("test-lake-1");
  }

  // ---- secrets ----

  @Test
  void plainTextSecretIsAWarningThatNeverShowsTheValue() {
    ParseResult result =
        parser.parseWithWarnings(
            "pipeline:\n"
                + "  name: p1\n"
                + "source:\n"
                + "  type: test-source\n"
                + "  hostname: h\n"
                + "  password: hunter2-plain\n"
                + "sinks:\n"
                + "  - type: test-topic\n"
                + "    topic: t\n"
                + "    properties.sasl.jaas.config: plain-jaas-value\n");

    assertThat(result.definition().source().options().getString("password")).isEqualTo("hunter2-plain");
    assertThat(result.warnings())
        .extracting(ConfigProblem::path, ConfigProblem::line)
        .containsExactly(tuple("source.password", 6), tuple("sinks[0].properties.sasl.jaas.config", 10));
    assertThat(result.warnings().get(0).message())
        .isEqualTo("Secret written as plain text in the pipeline file; reference it as ${env:NAME} or ${file:PATH}");
    assertThat(result.warnings().toString()).doesNotContain("hunter2-plain").doesNotContain("plain-jaas-value");
  }

  @Test
  void invalidSecretValueIsMaskedAndResolvedReferenceIsShownInsteadOfItsValue() {
    PipelineParser p =
        new PipelineParser(
            FactoryRegistry.load(), SecretResolver.withEnv(Map.of("PORT", "not-a-port", "BATCH", "-5")));
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                p.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h, port: '${env:PORT}'}\n"
                        + "sinks: [{type: test-topic, topic: t, batch.size: '${env:BATCH}'}]\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "source.port (line 2): Invalid value ${env:PORT} (resolved) for configuration port: not an integer",
            "sinks[0].batch.size (line 3): Invalid value ${env:BATCH} (resolved) for configuration batch.size:"
                + " must be positive");
    assertThat(e.getMessage()).doesNotContain("not-a-port");
  }

  @Test
  void fileSecretsResolveRelativeToThePipelineFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/pg"), "from-file\r\n");
    Path file = dir.resolve("p.yaml");
    Files.writeString(
        file,
        "pipeline: {name: p1}\n"
            + "source: {type: test-source, hostname: h, password: '${file:secrets/pg}'}\n"
            + "sinks: [{type: test-topic, topic: t}]\n");
    assertThat(parser.parse(file).source().options().getString("password")).isEqualTo("from-file");

    Files.delete(dir.resolve("secrets/pg"));
    ConfigProblem problem =
        catchThrowableOfType(() -> parser.parse(file), PipelineValidationException.class).problems().get(0);
    assertThat(problem.path()).isEqualTo("source.password");
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.message())
        .isEqualTo(
            "Cannot resolve the secret reference of 'password': file "
                + dir.resolve("secrets/pg").toAbsolutePath()
                + " referenced by ${file:secrets/pg} does not exist");
  }

  // ---- invalid fixtures ----

  @Test
  void unknownTopLevelKeyListsTheKnownKeys() {
    ConfigProblem p = onlyProblem("invalid-unknown-top-level-key.yaml");
    assertThat(p.path()).isEqualTo("transforms");
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message())
        .isEqualTo("Unknown top-level key 'transforms'; known keys: pipeline, source, schema, sinks, errors");
  }

  @Test
  void missingNameIsReportedAtThePipelineBlock() {
    ConfigProblem p = onlyProblem("invalid-missing-name.yaml");
    assertThat(p.path()).isEqualTo("pipeline.name");
    assertThat(p.line()).isEqualTo(1);
    assertThat(p.message()).startsWith("Missing required option 'name' in block 'pipeline' (Pipeline name;");
  }

  @Test
  void parallelismBelowOne() {
    ConfigProblem p = onlyProblem("invalid-bad-parallelism.yaml");
    assertThat(p.toString())
        .isEqualTo(
            "pipeline.parallelism (line 3): Invalid value '0' for configuration parallelism: must be at least 1");
  }

  @Test
  void unknownSourceTypeListsKnownTypes() {
    ConfigProblem p = onlyProblem("invalid-unknown-source-type.yaml");
    assertThat(p.path()).isEqualTo("source.type");
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.message()).isEqualTo("Unknown source type 'oracle'; known types: test-source");
  }

  @Test
  void missingRequiredSourceOptionIsReportedAtTheSourceBlock() {
    ConfigProblem p = onlyProblem("invalid-missing-required-source-option.yaml");
    assertThat(p.path()).isEqualTo("source.hostname");
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message())
        .isEqualTo(
            "Missing required option 'hostname' for source type 'test-source'"
                + " (Host name or IP address of the database)");
  }

  @Test
  void unknownSourceOptionSuggestsAndListsKnownKeys() {
    ConfigProblem p = onlyProblem("invalid-unknown-source-option.yaml");
    assertThat(p.path()).isEqualTo("source.tabels");
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message())
        .isEqualTo(
            "Unknown option 'tabels' for source type 'test-source' (did you mean 'tables'?); known options:"
                + " hostname, password, poll.interval, port, startup.mode, tables;"
                + " keys starting with 'properties.' are passed through");
  }

  @Test
  void badEnumValueNamesTheAllowedValues() {
    ConfigProblem p = onlyProblem("invalid-bad-enum-value.yaml");
    assertThat(p.toString())
        .isEqualTo(
            "sinks[1].table.type (line 11): Invalid value 'MOR' for configuration table.type:"
                + " use one of copy-on-write, merge-on-read");
  }

  @Test
  void badDurationInNestedForm() {
    ConfigProblem p = onlyProblem("invalid-bad-duration.yaml");
    assertThat(p.path()).isEqualTo("pipeline.checkpoint.interval");
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.message())
        .isEqualTo(
            "Invalid value '10 seconds' for configuration checkpoint.interval:"
                + " not a duration; write e.g. 500ms, 10s, 5min, 1h");
  }

  @Test
  void checkpointIntervalBelowTheMinimum() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1, checkpoint.interval: 50ms}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly("Invalid value '50ms' for configuration checkpoint.interval: must be at least 100ms");
  }

  @Test
  void emptySinks() {
    ConfigProblem p = onlyProblem("invalid-empty-sinks.yaml");
    assertThat(p.path()).isEqualTo("sinks");
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message())
        .isEqualTo("At least one sink is required; the list is empty (known sink types: test-lake, test-topic)");
  }

  @Test
  void dlqModeWithoutTopic() {
    ConfigProblem p = onlyProblem("invalid-dlq-without-topic.yaml");
    assertThat(p.path()).isEqualTo("errors.dlq.topic");
    assertThat(p.line()).isEqualTo(10);
    assertThat(p.message())
        .isEqualTo("Missing required option 'dlq.topic': mode is dlq, so a dead-letter topic is needed");
  }

  @Test
  void dlqTopicWithoutDlqModeIsAProblem() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"
                        + "errors:\n"
                        + "  mode: skip\n"
                        + "  dlq.topic: shop.dlq\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "errors.dlq.topic (line 6): Option 'dlq.topic' is only used when mode is dlq, but mode is skip;"
                + " set mode: dlq or remove dlq.topic");
  }

  // ---- errors: dead-letter bootstrap servers ----

  /** A registry with the test factories plus a sink of type {@code kafka}, for the dead-letter broker default. */
  private static PipelineParser parserWithKafkaSink() {
    SinkFactory kafka =
        new SinkFactory() {
          @Override
          public String identifier() {
            return "kafka";
          }

          @Override
          public Set<ConfigOption<?>> requiredOptions() {
            return Set.of(ConfigOption.string("bootstrap.servers", null, "Brokers."), TestTopicSinkFactory.TOPIC);
          }

          @Override
          public Set<ConfigOption<?>> optionalOptions() {
            return Set.of();
          }

          @Override
          public PipelineSink createSink(SinkContext context) {
            throw new UnsupportedOperationException("parser tests never create sinks");
          }
        };
    return new PipelineParser(
        FactoryRegistry.of(
            List.of(new TestSourceFactory()), List.of(new TestTopicSinkFactory(), new TestLakeSinkFactory(), kafka)),
        SecretResolver.withEnv(Map.of()));
  }

  @Test
  void dlqBootstrapServersDefaultToTheFirstKafkaSink() {
    PipelineDefinition d =
        parserWithKafkaSink()
            .parse(
                "pipeline: {name: p1}\n"
                    + "source: {type: test-source, hostname: h}\n"
                    + "sinks:\n"
                    + "  - {type: test-lake, path: /lake}\n"
                    + "  - {type: kafka, bootstrap.servers: 'k1:9092,k2:9092', topic: t}\n"
                    + "  - {type: kafka, bootstrap.servers: 'other:9092', topic: u}\n"
                    + "errors: {mode: dlq, dlq.topic: p1.dlq}\n");
    assertThat(d.errors()).isEqualTo(new ErrorSettings(ErrorMode.DLQ, "p1.dlq", "k1:9092,k2:9092"));
  }

  @Test
  void dlqBootstrapServersGivenWinOverTheKafkaSink() {
    PipelineDefinition d =
        parserWithKafkaSink()
            .parse(
                "pipeline: {name: p1}\n"
                    + "source: {type: test-source, hostname: h}\n"
                    + "sinks: [{type: kafka, bootstrap.servers: 'k1:9092', topic: t}]\n"
                    + "errors:\n"
                    + "  mode: dlq\n"
                    + "  dlq:\n"
                    + "    topic: p1.dlq\n"
                    + "    bootstrap.servers: dlq-broker:9092\n");
    assertThat(d.errors()).isEqualTo(new ErrorSettings(ErrorMode.DLQ, "p1.dlq", "dlq-broker:9092"));
  }

  @Test
  void dlqWithoutKafkaSinkNeedsBootstrapServers() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parserWithKafkaSink()
                    .parse(
                        "pipeline: {name: p1}\n"
                            + "source: {type: test-source, hostname: h}\n"
                            + "sinks: [{type: test-lake, path: /lake}]\n"
                            + "errors:\n"
                            + "  mode: dlq\n"
                            + "  dlq.topic: p1.dlq\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "errors.dlq.bootstrap.servers (line 5): Missing required option 'dlq.bootstrap.servers': mode is dlq and"
                + " no sink of type 'kafka' gives a bootstrap.servers, so the Kafka cluster of the dead-letter topic"
                + " is needed");
  }

  @Test
  void hudiOnlyPipelineWithDlqBootstrapServersParses() {
    PipelineDefinition d =
        parserWithKafkaSink()
            .parse(
                "pipeline: {name: p1}\n"
                    + "source: {type: test-source, hostname: h}\n"
                    + "sinks: [{type: test-lake, path: /lake}]\n"
                    + "errors: {mode: dlq, dlq.topic: p1.dlq, dlq.bootstrap.servers: '127.0.0.1:9092'}\n");
    assertThat(d.errors()).isEqualTo(new ErrorSettings(ErrorMode.DLQ, "p1.dlq", "127.0.0.1:9092"));
  }

  @Test
  void dlqOptionsWithoutDlqModeAreProblemsAndMissingTopicAndServersAreBothReported() {
    PipelineValidationException skip =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"
                        + "errors:\n"
                        + "  mode: skip\n"
                        + "  dlq.topic: shop.dlq\n"
                        + "  dlq.bootstrap.servers: b:9092\n"),
            PipelineValidationException.class);
    assertThat(skip.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "errors.dlq.topic (line 6): Option 'dlq.topic' is only used when mode is dlq, but mode is skip;"
                + " set mode: dlq or remove dlq.topic",
            "errors.dlq.bootstrap.servers (line 7): Option 'dlq.bootstrap.servers' is only used when mode is dlq,"
                + " but mode is skip; set mode: dlq or remove dlq.bootstrap.servers");

    PipelineValidationException dlq =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"
                        + "errors: {mode: dlq}\n"),
            PipelineValidationException.class);
    assertThat(dlq.problems()).extracting(ConfigProblem::path)
        .containsExactly("errors.dlq.topic", "errors.dlq.bootstrap.servers");
  }

  @Test
  void blankDlqBootstrapServersIsAProblem() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"
                        + "errors: {mode: dlq, dlq.topic: d, dlq.bootstrap.servers: ' '}\n"),
            PipelineValidationException.class);
    assertThat(e.problems()).extracting(ConfigProblem::path).contains("errors.dlq.bootstrap.servers");
  }

  @Test
  void missingEnvSecretNamesKeyAndReference() {
    ConfigProblem p = onlyProblem("invalid-missing-env-secret.yaml");
    assertThat(p.path()).isEqualTo("source.password");
    assertThat(p.line()).isEqualTo(6);
    assertThat(p.message())
        .isEqualTo(
            "Cannot resolve the secret reference of 'password': environment variable"
                + " TRIBUTARY_TEST_UNSET_PASSWORD referenced by ${env:TRIBUTARY_TEST_UNSET_PASSWORD} is not set");
  }

  @Test
  void yamlSyntaxErrorGivesOneProblemAtTheMark() {
    ConfigProblem p = onlyProblem("invalid-yaml-syntax-error.yaml");
    assertThat(p.path()).isEqualTo(PipelineParser.DOCUMENT_PATH);
    assertThat(p.line()).isEqualTo(5);
    assertThat(p.message()).startsWith("YAML syntax error: mapping values are not allowed here");
  }

  @Test
  void multipleProblemsAreAllReportedInLineOrder() {
    List<ConfigProblem> problems = problems("invalid-multiple-problems.yaml");
    assertThat(problems)
        .extracting(ConfigProblem::path, ConfigProblem::line)
        .containsExactly(
            tuple("pipeline.name", 3),
            tuple("pipeline.parallelism", 4),
            tuple("source.hostname", 5),
            tuple("source.tabels", 8),
            tuple("schema.registry.url", 10),
            tuple("sinks[0].topic", 12),
            tuple("sinks[1].table.type", 16),
            tuple("errors.dlq.topic", 18),
            tuple("monitoring", 19));
    assertThat(problems)
        .extracting(ConfigProblem::message)
        .containsExactly(
            "Invalid value 'Shop_Orders' for configuration name:"
                + " use 1 to 63 lower-case letters, digits and hyphens, starting with a letter",
            "Invalid value 'many' for configuration parallelism: not an integer",
            "Missing required option 'hostname' for source type 'test-source'"
                + " (Host name or IP address of the database)",
            "Unknown option 'tabels' for source type 'test-source' (did you mean 'tables'?); known options:"
                + " hostname, password, poll.interval, port, startup.mode, tables;"
                + " keys starting with 'properties.' are passed through",
            "Invalid value 'ftp://registry.example.com' for configuration registry.url:"
                + " use an http:// or https:// URL with a host",
            "Missing required option 'topic' for sink type 'test-topic'"
                + " (Topic template, e.g. shop.${schema}.${table})",
            "Invalid value 'MOR' for configuration table.type: use one of copy-on-write, merge-on-read",
            "Missing required option 'dlq.topic': mode is dlq, so a dead-letter topic is needed",
            "Unknown top-level key 'monitoring'; known keys: pipeline, source, schema, sinks, errors");
  }

  // ---- more shapes ----

  @Test
  void missingBlocksAndWrongShapes() {
    PipelineValidationException e =
        catchThrowableOfType(
            () -> parser.parse("pipeline: just-a-name\nsinks:\n  type: test-topic\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "pipeline (line 1): 'pipeline' must be a mapping of options; got a single value",
            "sinks (line 2): 'sinks' must be a list, each entry starting with '- type: <sink type>'; got a mapping",
            "source: Missing required block 'source' with a 'type'; known source types: test-source");
  }

  @Test
  void sinkWithoutTypeAndUnknownSinkType() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks:\n"
                        + "  - topic: t\n"
                        + "  - type: kafka\n"
                        + "    topic: t\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "sinks[0].type (line 4): Missing required option 'type'; known sink types: test-lake, test-topic",
            "sinks[1].type (line 5): Unknown sink type 'kafka'; known types: test-lake, test-topic");
  }

  @Test
  void duplicateKeysIncludingDottedAndNestedFormsAreProblems() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline:\n"
                        + "  name: p1\n"
                        + "  checkpoint.interval: 5s\n"
                        + "  checkpoint:\n"
                        + "    interval: 6s\n"
                        + "source: {type: test-source, hostname: h, hostname: h2}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "pipeline.checkpoint.interval (line 5): Duplicate key 'checkpoint.interval' (first given on line 3)",
            "source.hostname (line 6): Duplicate key 'hostname' (first given on line 6)");
  }

  @Test
  void unknownTemplateVariableInASinkOption() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source: {type: test-source, hostname: h}\n"
                        + "sinks: [{type: test-topic, topic: 'shop.${tabel}'}]\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "sinks[0].topic (line 3): Unknown variable ${tabel} in option 'topic'; routing templates use"
                + " ${database}, ${schema} or ${table}, secrets ${env:NAME} or ${file:PATH}");
  }

  @Test
  void listElementsMustBeScalarsWithoutCommas() {
    PipelineValidationException e =
        catchThrowableOfType(
            () ->
                parser.parse(
                    "pipeline: {name: p1}\n"
                        + "source:\n"
                        + "  type: test-source\n"
                        + "  hostname: h\n"
                        + "  tables:\n"
                        + "    - public.a\n"
                        + "    - 'public\\.b{1,2}'\n"
                        + "    - {name: c}\n"
                        + "sinks: [{type: test-topic, topic: t}]\n"),
            PipelineValidationException.class);
    assertThat(e.problems())
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "source.tables[1] (line 7): List elements may not contain ',' (the list is passed on comma-separated)",
            "source.tables[2] (line 8): List elements must be plain values; got a mapping");
  }

  @Test
  void emptyDocumentAndNonMappingDocument() {
    assertThatThrownBy(() -> parser.parse("# nothing\n"))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::toString)
                    .containsExactly(
                        "<yaml>: The pipeline definition is empty; expected the top-level keys"
                            + " pipeline, source, schema, sinks, errors"));
    assertThatThrownBy(() -> parser.parse("- a\n- b\n"))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::toString)
                    .containsExactly(
                        "<yaml> (line 1): The pipeline definition must be a mapping with the top-level keys"
                            + " pipeline, source, schema, sinks, errors; got a list"));
  }

  @Test
  void missingFileIsOneProblem(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> parser.parse(missing))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigProblem::message)
                    .containsExactly("The pipeline file " + missing + " does not exist"));
  }
}
