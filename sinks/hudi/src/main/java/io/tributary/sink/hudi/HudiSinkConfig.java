package io.tributary.sink.hudi;

import io.tributary.config.Templates;
import io.tributary.schema.TableId;
import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The resolved settings of one Hudi sink (see {@link HudiSinkOptions}). Immutable and serializable, so the Flink
 * operators carry it.
 *
 * @param sinkName the sink's name in the job, for example {@code hudi-1}: operator uids and metric groups
 * @param pathTemplate base path template, rendered per table
 * @param tableType COPY_ON_WRITE or MERGE_ON_READ
 * @param tableNameTemplate Hudi table name template, rendered per table
 * @param partitionField column holding the partition path, or null for non-partitioned tables
 * @param compactionDeltaCommits MERGE_ON_READ: compact every this many delta commits, >= 1
 * @param cleanerCommitsRetained commits whose file versions the cleaner keeps, >= 1
 * @param tombstoneRetention how long deleted keys are remembered; zero turns the check off
 * @param hoodieProperties pass-through Hudi properties (full keys, {@code hoodie.} included), applied last
 * @param hadoopProperties pass-through Hadoop configuration ({@code hadoop.} prefix removed), for the file system
 * @param commitInterval shortest time between two commits of a table; zero commits at every checkpoint
 */
public record HudiSinkConfig(
    String sinkName,
    String pathTemplate,
    HudiTableType tableType,
    String tableNameTemplate,
    String partitionField,
    int compactionDeltaCommits,
    int cleanerCommitsRetained,
    Duration tombstoneRetention,
    Map<String, String> hoodieProperties,
    Map<String, String> hadoopProperties,
    Duration commitInterval)
    implements Serializable {
  public HudiSinkConfig {
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(sinkName, "sinkName");
    Objects.requireNonNull(pathTemplate, "pathTemplate");
    Objects.requireNonNull(tableType, "tableType");
    Objects.requireNonNull(tableNameTemplate, "tableNameTemplate");
    Objects.requireNonNull(tombstoneRetention, "tombstoneRetention");
    hoodieProperties = Map.copyOf(hoodieProperties);
    hadoopProperties = Map.copyOf(hadoopProperties);
  }

  /** Settings that commit at every checkpoint ({@code commitInterval} zero); see the canonical constructor. */
  public HudiSinkConfig(String sinkName, String pathTemplate, HudiTableType tableType, String tableNameTemplate,
      String partitionField, int compactionDeltaCommits, int cleanerCommitsRetained, Duration tombstoneRetention,
      Map<String, String> hoodieProperties, Map<String, String> hadoopProperties) {
    this(sinkName, pathTemplate, tableType, tableNameTemplate, partitionField, compactionDeltaCommits,
        cleanerCommitsRetained, tombstoneRetention, hoodieProperties, hadoopProperties, Duration.ZERO);
  }

  /** A Hadoop configuration: the defaults on the classpath, then {@link #hadoopProperties()}. */
  public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration c = new org.apache.hadoop.conf.Configuration();
    hadoopProperties.forEach(c::set);
    return c;
  }

  /** The base path of a table: the rendered {@link #pathTemplate()}. */
  public String basePath(TableId table) {
    return Templates.render(pathTemplate, table);
  }

  /** The Hudi table name of a table: the rendered {@link #tableNameTemplate()}. */
  public String tableName(TableId table) {
    return Templates.render(tableNameTemplate, table);
  }
}
