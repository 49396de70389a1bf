package io.tributary.config.testing;

import io.tributary.config.ConfigOption;
import io.tributary.config.Options;
import io.tributary.config.spi.PipelineSource;
import io.tributary.config.spi.SourceContext;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.config.spi.SourceFactory;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A source type for config tests only: {@code test-source}, no database behind it. */
public final class TestSourceFactory implements SourceFactory {
  /** The startup modes of the test source. */
  public enum StartupMode {
    INITIAL,
    LATEST,
    SNAPSHOT
  }

  public static final ConfigOption<String> HOSTNAME =
      ConfigOption.string("hostname", null, "Host name or IP address of the database.");
  public static final ConfigOption<Integer> PORT = ConfigOption.integer("port", 5432, "Database port.");
  public static final ConfigOption<String> PASSWORD =
      ConfigOption.string("password", null, "Database password; use ${env:NAME}.");
  public static final ConfigOption<List<String>> TABLES =
      ConfigOption.list("tables", List.of(), "Tables to capture, schema.table or regular expressions.");
  public static final ConfigOption<StartupMode> STARTUP_MODE =
      ConfigOption.enumOption("startup.mode", StartupMode.class, StartupMode.INITIAL, "Where reading starts.");
  public static final ConfigOption<Duration> POLL_INTERVAL =
      ConfigOption.duration("poll.interval", Duration.ofMillis(500), "Time between polls of the change log.");

  @Override
  public String identifier() {
    return "test-source";
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(HOSTNAME);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(PORT, PASSWORD, TABLES, STARTUP_MODE, POLL_INTERVAL);
  }

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of("properties.");
  }

  @Override
  public PipelineSource createSource(SourceContext context) {
    return new TestSource(context.options());
  }

  /** Discovers one table per configured name, each with one bigint key column {@code id}, in database {@code test}. */
  public static final class TestSource implements PipelineSource {
    private final Options options;

    TestSource(Options options) {
      this.options = options;
    }

    /** The options it was created with. */
    public Options options() {
      return options;
    }

    @Override
    public SourceDiscovery discover() {
      List<TableSchema> tables =
          options.get(TABLES).stream()
              .map(
                  name -> {
                    String[] parts = name.split("\\.", 2);
                    return new TableSchema(
                        new TableId("test", parts[0], parts[1]),
                        List.of(Column.of("id", ColumnKind.INT64, false, "bigint")),
                        List.of("id"));
                  })
              .toList();
      return new SourceDiscovery(tables, Map.of(), List.of(), List.of());
    }

    @Override
    public DataStream<ChangeEvent> createStream(StreamExecutionEnvironment env, List<TableSchema> tables) {
      throw new UnsupportedOperationException("the test source does not run in a job");
    }
  }
}
