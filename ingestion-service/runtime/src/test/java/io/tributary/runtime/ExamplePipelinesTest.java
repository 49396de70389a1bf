package io.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tributary.config.ConfigProblem;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineParser;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped pipelines (config/examples, docker/pipeline.yaml) validate against the real source and sink
 * factories, and an invalid one reports every problem of every block at once.
 */
class ExamplePipelinesTest {
  private static final Map<String, String> ENV = Map.ofEntries(
      Map.entry("DEMO_PG_PORT", "5432"), Map.entry("DEMO_PG_USER", "postgres"), Map.entry("DEMO_PG_PASSWORD", "pw"),
      Map.entry("DEMO_MYSQL_PORT", "3306"), Map.entry("DEMO_MYSQL_USER", "tributary_cdc"),
      Map.entry("DEMO_MYSQL_PASSWORD", "pw"),
      Map.entry("DEMO_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
      Map.entry("DEMO_REGISTRY_URL", "http://127.0.0.1:8085/apis/ccompat/v7"),
      Map.entry("DEMO_LAKE_URI", "file:///tmp/lake"), Map.entry("SHOP_PG_PASSWORD", "pw"));

  private final PipelineParser parser = new PipelineParser(FactoryRegistry.load(), SecretResolver.withEnv(ENV));

  @Test
  void shippedPipelinesValidate() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("../../config/examples"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).collect(Collectors.toList());
    }
    files.add(Path.of("../../docker/pipeline.yaml"));
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path f : files) {
      PipelineDefinition def = parser.parse(f);
      assertThat(def.sinks()).as(f.toString()).isNotEmpty();
    }
    PipelineDefinition demo = parser.parse(Path.of("../../config/examples/shop-demo.yaml"));
    assertThat(demo.source().options().getString("port")).isEqualTo("5432");
    assertThat(demo.sinks()).extracting(s -> s.type()).containsExactly("kafka", "hudi");
  }

  @Test
  void everyProblemOfEveryBlockIsReportedAtOnce() {
    PipelineValidationException e = catchThrowableOfType(
        () -> parser.parse(Path.of("src/test/resources/pipelines/invalid-real-factories.yaml")),
        PipelineValidationException.class);
    List<String> problems = e.problems().stream().map(ConfigProblem::toString).collect(Collectors.toList());
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("pipeline.parallelism (line 3)").contains("must be at least 1"));
    assertThat(problems).anySatisfy(p -> assertThat(p).contains("source.tabels (line 9)").contains("tables"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("source.tables (line 4)").contains("Missing required option 'tables'"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sinks[0].envelope (line 16)").contains("'flat'").contains("debezium"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sinks[1].table.type (line 19)").contains("'MOR'").contains("merge-on-read"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("sinks[2].type (line 20)").contains("kinesis").contains("kafka").contains("hudi"));
  }
}
