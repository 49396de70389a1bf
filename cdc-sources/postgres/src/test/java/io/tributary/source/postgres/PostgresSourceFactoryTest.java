package io.tributary.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ConfigOption;
import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.Options;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineSettings;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SchemaSettings;
import io.tributary.config.SourceDefinition;
import io.tributary.config.spi.SourceContext;
import io.tributary.config.spi.SourceFactory;
import io.tributary.schema.CompatibilityLevel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class PostgresSourceFactoryTest {

  static SourceContext context(String pipelineName, int parallelism, Map<String, String> values) {
    Options options = new Options("source", values, Map.of("tables", 12, "slot.name", 14));
    PipelineDefinition def =
        new PipelineDefinition(
            new PipelineSettings(
                pipelineName, "team", parallelism, Duration.ofSeconds(10), DeliveryGuarantee.EXACTLY_ONCE, null),
            new SourceDefinition("postgres", options),
            new SchemaSettings("http://127.0.0.1:1/apis/ccompat/v7", CompatibilityLevel.BACKWARD, null),
            List.of(),
            new ErrorSettings(ErrorMode.FAIL, null),
            null);
    return new SourceContext(def, options);
  }

  static Map<String, String> minimal() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hostname", "127.0.0.1");
    m.put("database", "shop");
    m.put("username", "cdc");
    m.put("tables", "public.orders,public\\.order_items_.*");
    return m;
  }

  @Test
  void isFoundByServiceLoader() {
    List<String> ids =
        StreamSupport.stream(ServiceLoader.load(SourceFactory.class).spliterator(), false)
            .map(SourceFactory::identifier)
            .collect(Collectors.toList());
    assertThat(ids).contains("postgres");
  }

  @Test
  void declaresRequiredOptionalAndPassThroughKeys() {
    PostgresSourceFactory f = new PostgresSourceFactory();
    assertThat(f.requiredOptions().stream().map(ConfigOption::key))
        .containsExactlyInAnyOrder("hostname", "database", "username", "tables");
    assertThat(f.optionalOptions().stream().map(ConfigOption::key))
        .containsExactlyInAnyOrder(
            "port", "password", "tables.exclude", "startup.mode", "slot.name", "publication.name", "snapshot.chunk.size",
            "snapshot.fetch.size", "poll.interval.ms", "heartbeat.interval.ms", "connect.timeout");
    assertThat(f.passThroughPrefixes()).containsExactly("debezium.");
    for (ConfigOption<?> o : f.optionalOptions()) {
      assertThat(o.description()).as(o.key()).isNotBlank();
    }
  }

  @Test
  void createsWithDefaultsDerivedFromThePipeline() {
    PostgresSource s = (PostgresSource) new PostgresSourceFactory().createSource(context("shop-orders", 3, minimal()));
    assertThat(s.slotName()).isEqualTo("tributary_shop_orders");
    assertThat(s.publicationName()).isEqualTo("tributary_shop_orders");
    assertThat(s.startupMode()).isEqualTo(PostgresStartupMode.INITIAL);
    assertThat(s.chunkSize()).isEqualTo(8096);
    assertThat(s.parallelism()).isEqualTo(3);
    assertThat(s.tablePatterns()).containsExactly("public.orders", "public\\.order_items_.*");
    assertThat(s.connection().port()).isEqualTo(5432);
    assertThat(s.connection().password()).isNull();
    assertThat(s.connection().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/shop");
    assertThat(s.connection().toString()).doesNotContain("password");

    Properties dbz = s.debeziumProperties();
    assertThat(dbz.getProperty("poll.interval.ms")).isEqualTo("20");
    assertThat(dbz.getProperty("decimal.handling.mode")).isEqualTo("precise");
    assertThat(dbz.getProperty("publication.name")).isEqualTo("tributary_shop_orders");
    assertThat(dbz.getProperty("publication.autocreate.mode")).as("Tributary creates the publication itself").isEqualTo("disabled");
  }

  @Test
  void readsEveryOption() {
    Map<String, String> m = minimal();
    m.put("port", "6543");
    m.put("password", "s3cret");
    m.put("startup.mode", "snapshot");
    m.put("slot.name", "my_slot");
    m.put("publication.name", "my_pub");
    m.put("snapshot.chunk.size", "100");
    m.put("snapshot.fetch.size", "50");
    m.put("poll.interval.ms", "5");
    m.put("heartbeat.interval.ms", "1000");
    m.put("connect.timeout", "5s");
    PostgresSource s = (PostgresSource) new PostgresSourceFactory().createSource(context("p", 1, m));
    assertThat(s.connection().port()).isEqualTo(6543);
    assertThat(s.connection().password()).isEqualTo("s3cret");
    assertThat(s.connection().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.connection().describe()).doesNotContain("s3cret");
    assertThat(s.startupMode()).isEqualTo(PostgresStartupMode.SNAPSHOT);
    assertThat(s.slotName()).isEqualTo("my_slot");
    assertThat(s.publicationName()).isEqualTo("my_pub");
    assertThat(s.chunkSize()).isEqualTo(100);
    assertThat(s.debeziumProperties().getProperty("poll.interval.ms")).isEqualTo("5");
  }

  @Test
  void passesDebeziumPropertiesThroughButKeepsFixedSettings() {
    Map<String, String> m = minimal();
    m.put("debezium.publication.autocreate.mode", "filtered");
    m.put("debezium.max.batch.size", "4096");
    m.put("debezium.decimal.handling.mode", "double");
    PostgresSource s = (PostgresSource) new PostgresSourceFactory().createSource(context("p", 1, m));
    Properties dbz = s.debeziumProperties();
    assertThat(dbz.getProperty("publication.autocreate.mode")).isEqualTo("filtered");
    assertThat(dbz.getProperty("max.batch.size")).isEqualTo("4096");
    assertThat(dbz.getProperty("decimal.handling.mode")).isEqualTo("precise");
    assertThat(dbz.getProperty("time.precision.mode")).isEqualTo("adaptive_time_microseconds");
    assertThat(dbz).doesNotContainKey("debezium.max.batch.size");
  }

  @Test
  void rejectsInvalidSlotName() {
    Map<String, String> m = minimal();
    m.put("slot.name", "Bad-Slot");
    assertThatThrownBy(() -> new PostgresSourceFactory().createSource(context("p", 1, m)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid value 'Bad-Slot' for configuration slot.name: a replication slot name");
  }

  @Test
  void rejectsDerivedSlotNameThatIsTooLong() {
    String longName = "a".repeat(60);
    assertThatThrownBy(() -> new PostgresSourceFactory().createSource(context(longName, 1, minimal())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("configuration slot.name")
        .hasMessageContaining("set slot.name");
  }

  @Test
  void rejectsOutOfRangeNumbersAndUnparseableValues() {
    Map<String, String> chunk = minimal();
    chunk.put("snapshot.chunk.size", "0");
    assertThatThrownBy(() -> new PostgresSourceFactory().createSource(context("p", 1, chunk)))
        .hasMessage("Invalid value '0' for configuration snapshot.chunk.size: must be at least 1 row");

    Map<String, String> mode = minimal();
    mode.put("startup.mode", "earliest");
    assertThatThrownBy(() -> new PostgresSourceFactory().createSource(context("p", 1, mode)))
        .isInstanceOf(PipelineValidationException.class)
        .hasMessageContaining("Invalid value 'earliest' for configuration startup.mode: use one of initial, latest, snapshot");

    Map<String, String> port = minimal();
    port.put("port", "70000");
    assertThatThrownBy(() -> new PostgresSourceFactory().createSource(context("p", 1, port)))
        .hasMessageContaining("Invalid value '70000' for configuration port");
  }

  @Test
  void quotesRegexMetacharactersOfExactNames() {
    assertThat(PostgresSource.regexQuote("order_items$1")).isEqualTo("order_items\\$1");
    assertThat(PostgresSource.regexQuote("a.b")).isEqualTo("a\\.b");
    assertThat("public.x$1").matches(PostgresSource.regexQuote("public") + "\\." + PostgresSource.regexQuote("x$1"));
  }
}
