package io.tributary.config.spi;

/** Creates a {@link PipelineSource} from the {@code source:} block of a pipeline. */
public interface SourceFactory extends Factory {
  /**
   * Creates the source. Does not connect anywhere; connecting happens in {@link PipelineSource#discover()}.
   *
   * @throws IllegalArgumentException if an option value is invalid beyond what option parsing checks
   */
  PipelineSource createSource(SourceContext context);
}
