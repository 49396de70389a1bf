package io.tributary.sink.hudi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ConfigProblem;
import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.Options;
import io.tributary.config.OptionsDoc;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineSettings;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SchemaSettings;
import io.tributary.config.SourceDefinition;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.TableId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class HudiSinkFactoryTest {
  private final HudiSinkFactory factory = new HudiSinkFactory();

  @Test
  void isFoundByServiceLoaderUnderItsIdentifier() {
    assertThat(ServiceLoader.load(SinkFactory.class).stream().map(ServiceLoader.Provider::get))
        .anySatisfy(f -> {
          assertThat(f).isInstanceOf(HudiSinkFactory.class);
          assertThat(f.identifier()).isEqualTo("hudi");
        });
  }

  @Test
  void createsWithDefaults() {
    SinkContext ctx = context(Map.of("path", "file:///tmp/lake/${table}"));

    HudiSinkConfig c = factory.config(ctx);

    assertThat(factory.createSink(ctx)).isInstanceOf(HudiPipelineSink.class);
    assertThat(c.sinkName()).isEqualTo("hudi-2");
    assertThat(c.pathTemplate()).isEqualTo("file:///tmp/lake/${table}");
    assertThat(c.tableType()).isEqualTo(HudiTableType.MERGE_ON_READ);
    assertThat(c.tableNameTemplate()).isEqualTo("${table}");
    assertThat(c.partitionField()).isNull();
    assertThat(c.compactionDeltaCommits()).isEqualTo(5);
    assertThat(c.cleanerCommitsRetained()).isEqualTo(10);
    assertThat(c.tombstoneRetention()).isEqualTo(Duration.ofHours(1));
    assertThat(c.hoodieProperties()).isEmpty();
    assertThat(c.hadoopProperties()).isEmpty();
    TableId t = new TableId("shop", "public", "orders");
    assertThat(c.basePath(t)).isEqualTo("file:///tmp/lake/orders");
    assertThat(c.tableName(t)).isEqualTo("orders");
  }

  @Test
  void readsEveryOption() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", "/lake/${database}/${schema}/${table}");
    m.put("table.type", "copy-on-write");
    m.put("table.name", "${schema}_${table}");
    m.put("partition.path", "region");
    m.put("compaction.delta.commits", "3");
    m.put("cleaner.commits.retained", "4");
    m.put("tombstone.retention", "10min");

    HudiSinkConfig c = factory.config(context(m));

    TableId t = new TableId("shop", "sales", "orders");
    assertThat(c.tableType()).isEqualTo(HudiTableType.COPY_ON_WRITE);
    assertThat(c.basePath(t)).isEqualTo("/lake/shop/sales/orders");
    assertThat(c.tableName(t)).isEqualTo("sales_orders");
    assertThat(c.partitionField()).isEqualTo("region");
    assertThat(c.compactionDeltaCommits()).isEqualTo(3);
    assertThat(c.cleanerCommitsRetained()).isEqualTo(4);
    assertThat(c.tombstoneRetention()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void reportsAMissingPath() {
    assertThatThrownBy(() -> factory.createSink(context(Map.of("table.type", "merge-on-read"))))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> assertThat(e.problems())
            .extracting(ConfigProblem::path)
            .containsExactly("sinks[2].path"))
        .hasMessageContaining("Missing required option 'path'");
  }

  @Test
  void reportsUnknownOptionsAndBadValuesTogether() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", "file:///lake/${namespace}");
    m.put("table.typ", "mor");
    m.put("table.type", "MOR");
    m.put("compaction.delta.commits", "0");
    m.put("tombstone.retention", "soon");

    assertThatThrownBy(() -> factory.createSink(context(m)))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> assertThat(e.problems())
            .extracting(ConfigProblem::path)
            .containsExactlyInAnyOrder("sinks[2].path", "sinks[2].table.typ", "sinks[2].table.type",
                "sinks[2].compaction.delta.commits", "sinks[2].tombstone.retention"))
        .hasMessageContaining("Unknown option 'table.typ'")
        .hasMessageContaining("did you mean 'table.type'?")
        .hasMessageContaining("Invalid value 'MOR' for configuration table.type: use one of copy-on-write, merge-on-read")
        .hasMessageContaining("unknown variable ${namespace}")
        .hasMessageContaining("Invalid value '0' for configuration compaction.delta.commits: must be at least 1");
  }

  @Test
  void passesHoodiePrefixThroughAndAppliesItLast() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", "file:///lake/${table}");
    m.put("hoodie.metadata.enable", "false");
    m.put("hoodie.parquet.max.file.size", "1048576");

    HudiSinkConfig c = factory.config(context(m));

    assertThat(c.hoodieProperties())
        .containsOnly(Map.entry("hoodie.metadata.enable", "false"), Map.entry("hoodie.parquet.max.file.size", "1048576"));
    assertThat(HudiTableWriter.writeProperties(c, TestData.SCHEMA, "orders"))
        .containsEntry("hoodie.metadata.enable", "false")
        .containsEntry("hoodie.parquet.max.file.size", "1048576")
        .containsEntry("hoodie.parquet.small.file.limit", "0")
        .containsEntry("hoodie.embed.timeline.server", "false")
        .containsEntry("hoodie.common.spillable.diskmap.type", "BITCASK")
        .containsEntry("hoodie.index.type", "SIMPLE")
        .containsEntry("hoodie.datasource.write.recordkey.field", "id")
        .containsEntry("hoodie.datasource.write.precombine.field", HudiRows.ORDERING_FIELD)
        .containsEntry("hoodie.payload.delete.field", HudiRows.OP_FIELD)
        .containsEntry("hoodie.payload.delete.marker", "d")
        .containsEntry("hoodie.compact.inline.max.delta.commits", "5");
  }

  @Test
  void passesHadoopPrefixToTheFileSystemConfiguration() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", "s3a://lake/${table}");
    m.put("hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    m.put("hadoop.fs.s3a.path.style.access", "true");

    HudiSinkConfig c = factory.config(context(m));

    assertThat(c.hadoopProperties())
        .containsOnly(Map.entry("fs.s3a.endpoint", "http://127.0.0.1:9000"), Map.entry("fs.s3a.path.style.access", "true"));
    assertThat(c.hadoopConfiguration().get("fs.s3a.endpoint")).isEqualTo("http://127.0.0.1:9000");
    assertThat(c.hoodieProperties()).isEmpty();
  }

  @Test
  void refusesHoodieKeysTributaryManages() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", "file:///lake/${table}");
    m.put("hoodie.table.type", "COPY_ON_WRITE");
    m.put("hoodie.parquet.small.file.limit", "104857600");

    assertThatThrownBy(() -> factory.createSink(context(m)))
        .isInstanceOfSatisfying(PipelineValidationException.class, e -> assertThat(e.problems())
            .extracting(ConfigProblem::path)
            .containsExactlyInAnyOrder("sinks[2].hoodie.table.type", "sinks[2].hoodie.parquet.small.file.limit"))
        .hasMessageContaining("hoodie.table.type is set by Tributary and may not be overridden; use table.type");
  }

  @Test
  void partitionedTablesUseAGlobalIndexAndCopyOnWriteKeepsSmallFileHandling() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("path", "file:///lake/${table}");
    m.put("table.type", "copy-on-write");
    m.put("partition.path", "region");

    HudiSinkConfig c = factory.config(context(m));

    assertThat(HudiTableWriter.writeProperties(c, TestData.SCHEMA, "orders"))
        .containsEntry("hoodie.index.type", "GLOBAL_SIMPLE")
        .containsEntry("hoodie.datasource.write.partitionpath.field", "region")
        .doesNotContainKey("hoodie.parquet.small.file.limit");
  }

  @Test
  void optionDocsListEveryOption() {
    String doc = OptionsDoc.markdown(factory);

    for (String key : List.of("path", "table.type", "table.name", "partition.path", "compaction.delta.commits",
        "cleaner.commits.retained", "tombstone.retention")) {
      assertThat(doc).contains("`" + key + "`");
    }
    assertThat(doc).contains("hoodie.").contains("hadoop.");
  }

  @Test
  void readmeShowsTheCurrentOptionsTable() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("basedir", "."), "README.md"));
    String table = OptionsDoc.markdown(factory);

    assertThat(readme).as("sinks/hudi/README.md must contain exactly this options table:%n%s", table).contains(table);
  }

  static PipelineDefinition pipeline() {
    return new PipelineDefinition(
        new PipelineSettings("shop-orders", "team", 1, Duration.ofSeconds(10), DeliveryGuarantee.EXACTLY_ONCE, null),
        new SourceDefinition("postgres", Options.of("source", Map.of())),
        new SchemaSettings(null, CompatibilityLevel.BACKWARD, "topic"),
        List.of(),
        new ErrorSettings(ErrorMode.FAIL, null),
        null);
  }

  private static SinkContext context(Map<String, String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("type", "hudi");
    m.putAll(values);
    return new SinkContext(pipeline(), 2, Options.of("sinks[2]", m));
  }
}
