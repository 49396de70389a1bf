package io.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.OptionsDoc;
import io.tributary.config.PipelineOptions;
import io.tributary.config.spi.Factory;
import io.tributary.config.spi.FactoryRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fails when the option tables in README.md drift from the options the code declares. Each table stands between
 * {@code <!-- options:NAME -->} and {@code <!-- /options:NAME -->}. Run with {@code -Dtributary.docs.update=true} to
 * rewrite the tables in place.
 */
class ReadmeOptionsDocTest {
  private static final Path README = Path.of("../../README.md");

  static Map<String, String> expectedTables() {
    Map<String, String> tables = new LinkedHashMap<>();
    tables.put("pipeline", OptionsDoc.markdown(PipelineOptions.PIPELINE_REQUIRED, PipelineOptions.PIPELINE_OPTIONAL, Set.of()));
    tables.put("schema", OptionsDoc.markdown(Set.of(), PipelineOptions.SCHEMA_OPTIONAL, Set.of()));
    tables.put("errors", OptionsDoc.markdown(Set.of(), PipelineOptions.ERRORS_OPTIONAL, Set.of()));
    FactoryRegistry factories = FactoryRegistry.load();
    for (Factory f : factories.sourceFactories()) {
      tables.put("source-" + f.identifier(), OptionsDoc.markdown(f));
    }
    for (Factory f : factories.sinkFactories()) {
      tables.put("sink-" + f.identifier(), OptionsDoc.markdown(f));
    }
    return tables;
  }

  @Test
  void readmeOptionTablesMatchTheCode() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    Map<String, String> expected = expectedTables();
    assertThat(expected).containsKeys("source-postgres", "source-mysql", "sink-kafka", "sink-hudi");
    String updated = readme;
    for (Map.Entry<String, String> e : expected.entrySet()) {
      String open = "<!-- options:" + e.getKey() + " -->\n";
      String close = "<!-- /options:" + e.getKey() + " -->";
      int start = updated.indexOf(open);
      int end = updated.indexOf(close);
      assertThat(start).as("README.md has a block %s...%s", open.trim(), close).isNotNegative();
      assertThat(end).isGreaterThan(start);
      updated = updated.substring(0, start + open.length()) + e.getValue().stripTrailing() + "\n" + updated.substring(end);
    }
    if (Boolean.getBoolean("tributary.docs.update")) {
      Files.writeString(README, updated, StandardCharsets.UTF_8);
    } else {
      assertThat(readme).as("README option tables (rerun with -Dtributary.docs.update=true)").isEqualTo(updated);
    }
  }
}
