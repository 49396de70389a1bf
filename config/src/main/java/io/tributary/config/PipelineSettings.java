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
 * @param schemaChangeBehavior what a column change in a source table does (default EVOLVE)
 * @param tableDiscoveryInterval how often an embedded run looks for new tables matching the source's patterns;
 *     zero turns it off (default 1 min)
 */
public record PipelineSettings(
    String name,
    String owner,
    int parallelism,
    Duration checkpointInterval,
    DeliveryGuarantee deliveryGuarantee,
    String stateDir,
    SchemaChangeBehavior schemaChangeBehavior,
    Duration tableDiscoveryInterval) {
  /** Settings with the default schema change behavior, {@link SchemaChangeBehavior#EVOLVE}. */
  public PipelineSettings(
      String name,
      String owner,
      int parallelism,
      Duration checkpointInterval,
      DeliveryGuarantee deliveryGuarantee,
      String stateDir) {
    this(name, owner, parallelism, checkpointInterval, deliveryGuarantee, stateDir, SchemaChangeBehavior.EVOLVE,
        DEFAULT_TABLE_DISCOVERY_INTERVAL);
  }

  /** Default of {@link #tableDiscoveryInterval()}. */
  public static final Duration DEFAULT_TABLE_DISCOVERY_INTERVAL = Duration.ofMinutes(1);

  /** Null (as built by older callers) reads as the default. */
  public PipelineSettings {
    if (schemaChangeBehavior == null) {
      schemaChangeBehavior = SchemaChangeBehavior.EVOLVE;
    }
    if (tableDiscoveryInterval == null) {
      tableDiscoveryInterval = DEFAULT_TABLE_DISCOVERY_INTERVAL;
    }
  }
}
