package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.spi.Factory;
import io.tributary.config.testing.TestSourceFactory;
import io.tributary.config.testing.TestTopicSinkFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsValidatorTest {
  private final TestSourceFactory source = new TestSourceFactory();

  private static Options options(String... keyValues) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Integer> lines = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      values.put(keyValues[i], keyValues[i + 1]);
      lines.put(keyValues[i], 10 + i / 2);
    }
    return new Options("source", values, lines);
  }

  @Test
  void validOptionsCreateAWorkingSource() throws Exception {
    Options o = options("type", "test-source", "hostname", "db", "port", "6543", "tables", "public.a,public.b");
    assertThat(OptionsValidator.validate(source, o)).isEmpty();

    var created = (TestSourceFactory.TestSource) source.createSource(new io.tributary.config.spi.SourceContext(null, o));
    assertThat(created.options().get(TestSourceFactory.PORT)).isEqualTo(6543);
    assertThat(created.discover().tables())
        .extracting(t -> t.tableId().toString())
        .containsExactly("test.public.a", "test.public.b");
  }

  @Test
  void missingRequiredOptionIsReportedAtTheBlockLine() {
    List<ConfigProblem> problems = OptionsValidator.validate(source, options("port", "5432"), 3);
    assertThat(problems)
        .containsExactly(
            new ConfigProblem(
                "source.hostname",
                3,
                "Missing required option 'hostname' for source type 'test-source'"
                    + " (Host name or IP address of the database)"));
    assertThat(OptionsValidator.validate(source, options("port", "5432")).get(0).line()).isZero();
  }

  @Test
  void unknownOptionListsKnownKeysAndPrefixes() {
    List<ConfigProblem> problems = OptionsValidator.validate(source, options("hostname", "h", "hots", "x"));
    assertThat(problems)
        .containsExactly(
            new ConfigProblem(
                "source.hots",
                11,
                "Unknown option 'hots' for source type 'test-source'; known options:"
                    + " hostname, password, poll.interval, port, startup.mode, tables;"
                    + " keys starting with 'properties.' are passed through"));
  }

  @Test
  void closeTyposGetASuggestion() {
    assertThat(OptionsValidator.validate(source, options("hostname", "h", "prot", "1")).get(0).message())
        .startsWith("Unknown option 'prot' for source type 'test-source' (did you mean 'port'?); known options:");
    assertThat(OptionsValidator.closest("startup-mode", Set.of("startup.mode", "tables"))).isEqualTo("startup.mode");
    assertThat(OptionsValidator.closest("completely.different", Set.of("port", "tables"))).isNull();
  }

  @Test
  void passThroughPrefixAcceptsAnythingBelowIt() {
    Options o = options("hostname", "h", "properties.slot.name", "s1", "properties.anything.goes", "x");
    assertThat(OptionsValidator.validate(source, o)).isEmpty();
    // The bare prefix itself is not a pass-through key.
    assertThat(OptionsValidator.validate(source, options("hostname", "h", "properties.", "x")))
        .extracting(ConfigProblem::path)
        .containsExactly("source.properties.");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Options o =
        options(
            "port", "http",
            "startup.mode", "earliest",
            "poll.interval", "fast",
            "password", "hunter2",
            "extra", "1");
    List<ConfigProblem> problems = OptionsValidator.validate(source, o, 2);
    assertThat(problems)
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "source.port (line 10): Invalid value 'http' for configuration port: not an integer",
            "source.startup.mode (line 11): Invalid value 'earliest' for configuration startup.mode:"
                + " use one of initial, latest, snapshot",
            "source.poll.interval (line 12): Invalid value 'fast' for configuration poll.interval:"
                + " not a duration; write e.g. 500ms, 10s, 5min, 1h",
            "source.extra (line 14): Unknown option 'extra' for source type 'test-source'; known options:"
                + " hostname, password, poll.interval, port, startup.mode, tables;"
                + " keys starting with 'properties.' are passed through",
            "source.hostname (line 2): Missing required option 'hostname' for source type 'test-source'"
                + " (Host name or IP address of the database)");
  }

  @Test
  void secretValuesNeverAppearEvenWhenAParserEchoesThem() {
    Factory echoing =
        new Factory() {
          @Override
          public String identifier() {
            return "echo";
          }

          @Override
          public Set<ConfigOption<?>> requiredOptions() {
            return Set.of(
                ConfigOption.string("api.token", null, "Token.")
                    .withCheck(t -> t.startsWith("tk_"), "does not start with tk_"));
          }

          @Override
          public Set<ConfigOption<?>> optionalOptions() {
            return Set.of();
          }
        };
    Options o = Options.of("sinks[0]", Map.of("api.token", "leaked-token-value"));
    assertThat(OptionsValidator.validate(echoing, o))
        .extracting(ConfigProblem::message)
        .containsExactly("Invalid value ****** for configuration api.token: does not start with tk_");
  }

  @Test
  void sinkFactoriesAreNamedAsSinksAndTypeIsIgnored() {
    Options o = new Options("sinks[2]", Map.of("type", "test-topic"), Map.of("type", 30));
    assertThat(OptionsValidator.validate(new TestTopicSinkFactory(), o, 30))
        .extracting(ConfigProblem::toString)
        .containsExactly(
            "sinks[2].topic (line 30): Missing required option 'topic' for sink type 'test-topic'"
                + " (Topic template, e.g. shop.${schema}.${table})");
  }

  @Test
  void aParserThrowingSomethingElseIsReportedNotThrown() {
    Factory broken =
        new Factory() {
          @Override
          public String identifier() {
            return "broken";
          }

          @Override
          public Set<ConfigOption<?>> requiredOptions() {
            return Set.of();
          }

          @Override
          public Set<ConfigOption<?>> optionalOptions() {
            return Set.of(
                ConfigOption.string("x", null, "X.").withCheck(v -> v.charAt(5) == 'a', "needs an a at 5"));
          }
        };
    assertThat(OptionsValidator.validate(broken, Options.of("b", Map.of("x", "ab"))))
        .extracting(ConfigProblem::message)
        .containsExactly(
            "Invalid value 'ab' for configuration x: cannot be parsed as string (StringIndexOutOfBoundsException)");
  }
}
