/**
 * Real services for the demo, benchmarks and tests, started from Maven artifacts only (no Docker, no downloads
 * at run time) and bound to 127.0.0.1 on free ports: {@link io.tributary.embedded.EmbeddedPostgres} (PostgreSQL
 * with logical decoding), {@link io.tributary.embedded.EmbeddedKafka} (single-node KRaft Kafka 3.9.2 in a child
 * JVM) and {@link io.tributary.embedded.EmbeddedApicurio} (Apicurio Registry 3.0.9 with its Confluent-compatible
 * API, in a child JVM). Each is {@link java.lang.AutoCloseable}; {@code close()} stops it and removes its
 * temporary files, and nothing outlives the JVM that started it.
 *
 * <p>Memory: PostgreSQL about 150 MB resident; Kafka and Apicurio are capped at a 512 MB heap each.
 */
package io.tributary.embedded;
