package io.tributary.config;

import java.time.Duration;

/**
 * The {@code pipeline:} block.
 *
 * @param name pipeline name: lower case letters, digits and hyphens; names the Flink job, the replication slot
 *     suffix and the Kafka transactional id prefix
 * @param owner owning team, free text, may be null
 * @param parallelism Flink parallelism of the job, >= 1 (default 1)
 * @param checkpointInterval time between Flink checkpoints (default 10s); exactly-once sinks commit on each
 * @param deliveryGuarantee exactly-once (default) or at-least-once
 * @param stateDir local directory for checkpoints when run embedded, or null for the default
 *     {@code ./.tributary/<name>}
 */
public record PipelineSettings(
    String name,
    String owner,
    int parallelism,
    Duration checkpointInterval,
    DeliveryGuarantee deliveryGuarantee,
    String stateDir) {}
