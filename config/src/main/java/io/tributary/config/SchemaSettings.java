package io.tributary.config;

import io.tributary.schema.CompatibilityLevel;

/**
 * The {@code schema:} block.
 *
 * @param registryUrl base URL of a Confluent-compatible schema registry REST API, for example
 *     {@code http://127.0.0.1:8085/apis/ccompat/v7}; null when no sink needs a registry
 * @param compatibility the compatibility level set on subjects Tributary creates (default BACKWARD)
 * @param subjectNaming how subjects are named; only {@code topic} ({@code <topic>-key}, {@code <topic>-value})
 */
public record SchemaSettings(String registryUrl, CompatibilityLevel compatibility, String subjectNaming) {}
