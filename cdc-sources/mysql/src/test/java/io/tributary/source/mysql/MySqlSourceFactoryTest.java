package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.ConfigOption;
import io.tributary.config.ConfigProblem;
import io.tributary.config.DeliveryGuarantee;
import io.tributary.config.ErrorMode;
import io.tributary.config.ErrorSettings;
import io.tributary.config.Options;
import io.tributary.config.OptionsValidator;
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

class MySqlSourceFactoryTest {

  static SourceContext context(String pipelineName, int parallelism, Map<String, String> values) {
    Options options = new Options("source", values, Map.of("tables", 12, "server-id", 14, "username", 9));
    PipelineDefinition def =
        new PipelineDefinition(
            new PipelineSettings(
                pipelineName, "team", parallelism, Duration.ofSeconds(10), DeliveryGuarantee.EXACTLY_ONCE, null),
            new SourceDefinition("mysql", options),
            new SchemaSettings("http://127.0.0.1:1/apis/ccompat/v7", CompatibilityLevel.BACKWARD, null),
            List.of(),
            new ErrorSettings(ErrorMode.FAIL, null),
            null);
    return new SourceContext(def, options);
  }

  static Map<String, String> minimal() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("hostname", "127.0.0.1");
    m.put("username", "cdc");
    m.put("tables", "shop.orders,shop\\.order_items_.*");
    return m;
  }

  private static MySqlSource create(String pipeline, int parallelism, Map<String, String> values) {
    return (MySqlSource) new MySqlSourceFactory().createSource(context(pipeline, parallelism, values));
  }

  @Test
  void isFoundByServiceLoader() {
    List<String> ids =
        StreamSupport.stream(ServiceLoader.load(SourceFactory.class).spliterator(), false)
            .map(SourceFactory::identifier)
            .collect(Collectors.toList());
    assertThat(ids).contains("mysql");
  }

  @Test
  void declaresRequiredOptionalAndPassThroughKeys() {
    MySqlSourceFactory f = new MySqlSourceFactory();
    assertThat(f.identifier()).isEqualTo("mysql");
    assertThat(f.requiredOptions().stream().map(ConfigOption::key))
        .containsExactlyInAnyOrder("hostname", "username", "tables");
    assertThat(f.optionalOptions().stream().map(ConfigOption::key))
        .containsExactlyInAnyOrder(
            "port", "password", "tables.exclude", "server-id", "startup.mode", "scan.snapshot.chunk.size",
            "scan.snapshot.fetch.size", "connect.timeout", "server-time-zone", "heartbeat.interval",
            "poll.interval.ms");
    assertThat(f.passThroughPrefixes()).containsExactlyInAnyOrder("debezium.", "jdbc.properties.");
    for (ConfigOption<?> o : f.optionalOptions()) {
      assertThat(o.description()).as(o.key()).isNotBlank();
    }
    for (ConfigOption<?> o : f.requiredOptions()) {
      assertThat(o.description()).as(o.key()).isNotBlank();
    }
  }

  @Test
  void createsWithDefaultsDerivedFromThePipeline() {
    MySqlSource s = create("shop-orders", 3, minimal());
    assertThat(s.startupMode()).isEqualTo(MySqlStartupMode.INITIAL);
    assertThat(s.chunkSize()).isEqualTo(8096);
    assertThat(s.fetchSize()).isEqualTo(1024);
    assertThat(s.parallelism()).isEqualTo(3);
    assertThat(s.tablePatterns()).containsExactly("shop.orders", "shop\\.order_items_.*");
    assertThat(s.excludePatterns()).isEmpty();
    assertThat(s.serverTimeZone()).isEqualTo("UTC");
    assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.connection().port()).isEqualTo(3306);
    assertThat(s.connection().password()).isNull();
    assertThat(s.connection().jdbcUrl()).isEqualTo("jdbc:mysql://127.0.0.1:3306/");
    assertThat(s.connection().toString()).doesNotContain("password");
    // derived server ids: a range of parallelism ids, stable for the pipeline name
    assertThat(s.serverIds().size()).isEqualTo(3);
    assertThat(s.serverIds()).isEqualTo(MySqlServerIds.derive("shop-orders", 3));
    assertThat(s.serverIds().first()).isBetween(5400L, 5400L + 1_000_000_000L);
    assertThat(create("shop-orders", 3, minimal()).serverIds()).isEqualTo(s.serverIds());
    assertThat(create("shop-customers", 3, minimal()).serverIds()).isNotEqualTo(s.serverIds());

    Properties dbz = s.debeziumProperties();
    assertThat(dbz.getProperty("poll.interval.ms")).isEqualTo("20");
    assertThat(dbz.getProperty("decimal.handling.mode")).isEqualTo("precise");
    assertThat(dbz.getProperty("time.precision.mode")).isEqualTo("adaptive_time_microseconds");
    assertThat(dbz.getProperty("binary.handling.mode")).isEqualTo("bytes");
    assertThat(dbz.getProperty("bigint.unsigned.handling.mode")).isEqualTo("precise");
    assertThat(dbz.getProperty("include.schema.changes")).isEqualTo("true");
    assertThat(dbz.getProperty("converters")).isEqualTo("tributary_zero_dates");
    assertThat(dbz.getProperty("tributary_zero_dates.type")).isEqualTo(MySqlZeroDateConverter.class.getName());
  }

  @Test
  void readsEveryOption() {
    Map<String, String> m = minimal();
    m.put("port", "3307");
    m.put("password", "s3cret");
    m.put("tables.exclude", "shop\\.tmp_.*,shop\\.order_items_old");
    m.put("server-id", "6400-6405");
    m.put("startup.mode", "latest");
    m.put("scan.snapshot.chunk.size", "100");
    m.put("scan.snapshot.fetch.size", "50");
    m.put("connect.timeout", "5s");
    m.put("server-time-zone", "Europe/Berlin");
    m.put("heartbeat.interval", "2s");
    m.put("poll.interval.ms", "5");
    MySqlSource s = create("p", 4, m);
    assertThat(s.connection().port()).isEqualTo(3307);
    assertThat(s.connection().password()).isEqualTo("s3cret");
    assertThat(s.connection().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.connection().describe()).isEqualTo("127.0.0.1:3307, user cdc").doesNotContain("s3cret");
    assertThat(s.excludePatterns()).containsExactly("shop\\.tmp_.*", "shop\\.order_items_old");
    assertThat(s.serverIds().toString()).isEqualTo("6400-6405");
    assertThat(s.startupMode()).isEqualTo(MySqlStartupMode.LATEST);
    assertThat(s.chunkSize()).isEqualTo(100);
    assertThat(s.fetchSize()).isEqualTo(50);
    assertThat(s.serverTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(s.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.debeziumProperties().getProperty("poll.interval.ms")).isEqualTo("5");
  }

  @Test
  void passesDebeziumAndJdbcPropertiesThroughButKeepsFixedSettings() {
    Map<String, String> m = minimal();
    m.put("debezium.max.batch.size", "4096");
    m.put("debezium.decimal.handling.mode", "double");
    m.put("debezium.time.precision.mode", "connect");
    m.put("jdbc.properties.useSSL", "false");
    m.put("jdbc.properties.connectionCollation", "utf8mb4_bin");
    MySqlSource s = create("p", 1, m);
    Properties dbz = s.debeziumProperties();
    assertThat(dbz.getProperty("max.batch.size")).isEqualTo("4096");
    assertThat(dbz.getProperty("decimal.handling.mode")).isEqualTo("precise");
    assertThat(dbz.getProperty("time.precision.mode")).isEqualTo("adaptive_time_microseconds");
    assertThat(dbz).doesNotContainKey("debezium.max.batch.size");
    assertThat(s.connection().jdbcProperties())
        .containsExactlyInAnyOrderEntriesOf(Map.of("useSSL", "false", "connectionCollation", "utf8mb4_bin"));
    assertThat(s.connection().toString()).doesNotContain("utf8mb4_bin");
  }

  @Test
  void rejectsPassThroughKeysThatDecideWhatIsRead() {
    for (String key :
        List.of("debezium.table.include.list", "debezium.database.hostname", "debezium.snapshot.mode",
            "debezium.converters", "debezium.tributary_zero_dates.type", "jdbc.properties.password")) {
      Map<String, String> m = minimal();
      m.put(key, "x");
      assertThatThrownBy(() -> create("p", 1, m))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("source." + key + ": Tributary sets")
          .hasMessageEndingWith("remove it");
    }
  }

  @Test
  void serverIdRangeMustCoverTheParallelism() {
    Map<String, String> m = minimal();
    m.put("server-id", "5400-5401");
    assertThatThrownBy(() -> create("p", 4, m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid value '5400-5401' for configuration server-id: the range has 2 ids but the pipeline runs 4 "
                + "parallel readers, each needing its own; give at least 4 ids, e.g. 5400-5403");
    assertThat(create("p", 2, m).serverIds().size()).isEqualTo(2);

    Map<String, String> single = minimal();
    single.put("server-id", "5400");
    assertThat(create("p", 1, single).serverIds().toString()).isEqualTo("5400");
    assertThatThrownBy(() -> create("p", 2, single)).hasMessageContaining("the range has 1 id but");

    Map<String, String> bad = minimal();
    bad.put("server-id", "54x");
    assertThatThrownBy(() -> create("p", 1, bad))
        .hasMessage("Invalid value '54x' for configuration server-id: write one server id (5400) or a range (5400-5408)");
    bad.put("server-id", "5408-5400");
    assertThatThrownBy(() -> create("p", 1, bad)).hasMessageContaining("the range ends before it starts");
    bad.put("server-id", "0-3");
    assertThatThrownBy(() -> create("p", 1, bad)).hasMessageContaining("server ids run from 1 to 2147483647");
  }

  @Test
  void missingRequiredOptionIsAProblem() {
    Map<String, String> m = minimal();
    m.remove("username");
    List<ConfigProblem> problems = OptionsValidator.validate(new MySqlSourceFactory(), Options.of("source", m), 7);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).path()).isEqualTo("source.username");
    assertThat(problems.get(0).line()).isEqualTo(7);
    assertThat(problems.get(0).message()).startsWith("Missing required option 'username' for source type 'mysql'");

    // the factory itself refuses an empty table list
    Map<String, String> empty = minimal();
    empty.put("tables", " , ");
    assertThatThrownBy(() -> create("p", 1, empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value ' , ' for configuration tables: list at least one table");
  }

  @Test
  void unknownOptionIsAProblemButPassThroughPrefixesAreAccepted() {
    Map<String, String> m = minimal();
    m.put("slot.name", "x");
    m.put("debezium.max.batch.size", "10");
    m.put("jdbc.properties.useSSL", "false");
    List<ConfigProblem> problems = OptionsValidator.validate(new MySqlSourceFactory(), Options.of("source", m));
    assertThat(problems).extracting(ConfigProblem::path).containsExactly("source.slot.name");
    assertThat(problems.get(0).message())
        .startsWith("Unknown option 'slot.name' for source type 'mysql'")
        .contains("keys starting with");
    m.remove("slot.name");
    assertThat(OptionsValidator.validate(new MySqlSourceFactory(), Options.of("source", m))).isEmpty();
  }

  @Test
  void rejectsOutOfRangeNumbersAndUnparseableValues() {
    Map<String, String> chunk = minimal();
    chunk.put("scan.snapshot.chunk.size", "0");
    assertThatThrownBy(() -> create("p", 1, chunk))
        .hasMessage("Invalid value '0' for configuration scan.snapshot.chunk.size: must be at least 1 row");

    Map<String, String> mode = minimal();
    mode.put("startup.mode", "earliest");
    assertThatThrownBy(() -> create("p", 1, mode))
        .isInstanceOf(PipelineValidationException.class)
        .hasMessageContaining(
            "Invalid value 'earliest' for configuration startup.mode: use one of initial, latest, snapshot");

    Map<String, String> port = minimal();
    port.put("port", "70000");
    assertThatThrownBy(() -> create("p", 1, port)).hasMessageContaining("Invalid value '70000' for configuration port");

    Map<String, String> zone = minimal();
    zone.put("server-time-zone", "Mars/Olympus");
    assertThatThrownBy(() -> create("p", 1, zone))
        .hasMessage(
            "Invalid value 'Mars/Olympus' for configuration server-time-zone: use a time zone id such as UTC, "
                + "+02:00 or Europe/Berlin");
  }

  @Test
  void quotesRegexMetacharactersOfExactNames() {
    assertThat(MySqlSource.regexQuote("order_items$1")).isEqualTo("order_items\\$1");
    assertThat(MySqlSource.regexQuote("a.b")).isEqualTo("a\\.b");
    assertThat("shop.x$1").matches(MySqlSource.regexQuote("shop") + "\\." + MySqlSource.regexQuote("x$1"));
    assertThat("shopXx$1").doesNotMatch(MySqlSource.regexQuote("shop") + "\\." + MySqlSource.regexQuote("x$1"));
  }

  @Test
  void derivedServerIdsAreStableAndInRange() {
    MySqlServerIds a = MySqlServerIds.derive("shop-orders", 4);
    assertThat(a).isEqualTo(MySqlServerIds.derive("shop-orders", 4));
    assertThat(a.size()).isEqualTo(4);
    assertThat(a.last()).isLessThanOrEqualTo(Integer.MAX_VALUE);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update("shop-orders".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(a.first()).isEqualTo(5400 + crc.getValue() % 1_000_000_000L);
    assertThat(MySqlServerIds.parse(" 7 - 9 ").toString()).isEqualTo("7-9");
  }
}
