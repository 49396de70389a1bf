package io.tributary.config.spi;

import io.tributary.config.Options;
import io.tributary.config.PipelineDefinition;

/**
 * What a source factory gets.
 *
 * @param pipeline the whole validated definition (pipeline name, parallelism, checkpoint interval, ...)
 * @param options the {@code source:} block's options, secrets already resolved
 */
public record SourceContext(PipelineDefinition pipeline, Options options) {}
