package io.tributary.config.spi;

/** Creates a {@link PipelineSink} from one entry of the {@code sinks:} list of a pipeline. */
public interface SinkFactory extends Factory {
  /**
   * Creates the sink. Does not connect anywhere; connecting happens in {@link PipelineSink#prepare}.
   *
   * @throws IllegalArgumentException if an option value is invalid beyond what option parsing checks
   */
  PipelineSink createSink(SinkContext context);
}
