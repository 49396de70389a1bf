package io.tributary.config;

/**
 * One entry of the {@code sinks:} list.
 *
 * @param index 0-based position in the list
 * @param type the sink type, selecting a {@link io.tributary.config.spi.SinkFactory} by identifier
 * @param options every key of the entry (including {@code type}), secrets resolved
 */
public record SinkDefinition(int index, String type, Options options) {}
