package io.tributary.config;

/**
 * The {@code errors:} block.
 *
 * @param mode what happens to a record that fails a stage (default FAIL)
 * @param dlqTopic the dead-letter topic when mode is DLQ, else null
 */
public record ErrorSettings(ErrorMode mode, String dlqTopic) {}
