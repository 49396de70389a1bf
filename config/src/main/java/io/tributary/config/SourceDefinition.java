package io.tributary.config;

/**
 * The {@code source:} block.
 *
 * @param type the source type, selecting a {@link io.tributary.config.spi.SourceFactory} by identifier
 * @param options every key of the block except {@code type}, secrets resolved
 */
public record SourceDefinition(String type, Options options) {}
