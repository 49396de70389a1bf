package io.tributary.config.testing;

import io.tributary.config.ConfigOption;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.datastream.DataStream;

/** A topic-like sink type for config tests only: {@code test-topic}. */
public final class TestTopicSinkFactory implements SinkFactory {
  /** Envelope forms. */
  public enum Envelope {
    DEBEZIUM,
    ROW
  }

  public static final ConfigOption<String> TOPIC =
      ConfigOption.string("topic", null, "Topic template, e.g. shop.${schema}.${table}.");
  public static final ConfigOption<Envelope> ENVELOPE =
      ConfigOption.enumOption("envelope", Envelope.class, Envelope.DEBEZIUM, "Record value layout.");
  public static final ConfigOption<Integer> BATCH_SIZE =
      ConfigOption.integer("batch.size", 100, "Records per batch.").withCheck(n -> n > 0, "must be positive");

  @Override
  public String identifier() {
    return "test-topic";
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(TOPIC);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(ENVELOPE, BATCH_SIZE);
  }

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of("properties.");
  }

  @Override
  public PipelineSink createSink(SinkContext context) {
    return new RecordingSink(context);
  }

  /** Records what it was prepared with. */
  public static final class RecordingSink implements PipelineSink {
    private final SinkContext context;
    private List<TableSchema> prepared;

    RecordingSink(SinkContext context) {
      this.context = context;
    }

    /** The context it was created with. */
    public SinkContext context() {
      return context;
    }

    /** The tables passed to {@link #prepare}, or null. */
    public List<TableSchema> prepared() {
      return prepared;
    }

    @Override
    public void prepare(List<TableSchema> tables) {
      this.prepared = List.copyOf(tables);
    }

    @Override
    public void attach(DataStream<ChangeEvent> events, List<TableSchema> tables) {
      throw new UnsupportedOperationException("the test sink does not run in a job");
    }
  }
}
