package io.tributary.config.spi;

import io.tributary.config.Options;
import io.tributary.config.PipelineDefinition;

/**
 * What a sink factory gets.
 *
 * @param pipeline the whole validated definition (delivery guarantee, schema registry settings, errors, ...)
 * @param index position of this sink in the {@code sinks:} list, 0-based, for names and messages
 * @param options this sink's options, secrets already resolved
 */
public record SinkContext(PipelineDefinition pipeline, int index, Options options) {
  /** A stable name for this sink inside the job, for example {@code kafka-0}; used in operator uids and metrics. */
  public String sinkName() {
    return options.getString("type") + "-" + index;
  }
}
