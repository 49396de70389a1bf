package io.tributary.config.testing;

import io.tributary.config.ConfigOption;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import java.util.Set;

/** A lake-table-like sink type for config tests only: {@code test-lake}. */
public final class TestLakeSinkFactory implements SinkFactory {
  /** Table types, named like Hudi's. */
  public enum TableType {
    COPY_ON_WRITE,
    MERGE_ON_READ
  }

  public static final ConfigOption<String> PATH =
      ConfigOption.string("path", null, "Base path template, e.g. file:///lake/${table}.");
  public static final ConfigOption<TableType> TABLE_TYPE =
      ConfigOption.enumOption("table.type", TableType.class, TableType.MERGE_ON_READ, "Table type.");
  public static final ConfigOption<java.util.List<String>> PARTITION_FIELDS =
      ConfigOption.list("partition.fields", java.util.List.of(), "Partition path fields.");

  @Override
  public String identifier() {
    return "test-lake";
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(PATH);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(TABLE_TYPE, PARTITION_FIELDS);
  }

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of("hoodie.");
  }

  @Override
  public PipelineSink createSink(SinkContext context) {
    return new TestTopicSinkFactory.RecordingSink(context);
  }
}
