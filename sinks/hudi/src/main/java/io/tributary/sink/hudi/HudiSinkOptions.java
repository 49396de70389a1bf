package io.tributary.sink.hudi;

import io.tributary.config.ConfigOption;
import java.time.Duration;

/** The options of a {@code type: hudi} sink entry. */
public final class HudiSinkOptions {

  /**
   * Base path of each table, a template rendered per table by {@link io.tributary.config.Templates} ({@code
   * ${database}}, {@code ${schema}}, {@code ${table}}), for example {@code file:///var/lake/shop/${table}}. A path
   * without scheme is a local path. Required.
   */
  public static final ConfigOption<String> PATH =
      ConfigOption.string(
          "path",
          null,
          "Base path of each Hudi table; a template with ${database}, ${schema} and ${table}, e.g."
              + " file:///var/lake/shop/${table}.");

  /** Hudi table type; default {@link HudiTableType#MERGE_ON_READ}. */
  public static final ConfigOption<HudiTableType> TABLE_TYPE =
      ConfigOption.enumOption(
          "table.type",
          HudiTableType.class,
          HudiTableType.MERGE_ON_READ,
          "copy-on-write (every commit rewrites the touched base files) or merge-on-read (commits append log files,"
              + " compaction merges them).");

  /** Hudi table name, a template like {@link #PATH}; default {@code ${table}}. */
  public static final ConfigOption<String> TABLE_NAME =
      ConfigOption.string(
          "table.name", "${table}", "Hudi table name (hoodie.table.name); a template with ${database}, ${schema}, ${table}.");

  /** Column whose value is the partition path; absent means a non-partitioned table. */
  public static final ConfigOption<String> PARTITION_PATH =
      ConfigOption.string(
          "partition.path",
          null,
          "Column whose value is the partition path; tables without the column are not partitioned. Default: not"
              + " partitioned.");

  /**
   * MERGE_ON_READ only: after every this many delta commits the sink schedules a compaction and runs it inline, in
   * the committing operator, right after the commit; default 5.
   */
  public static final ConfigOption<Integer> COMPACTION_DELTA_COMMITS =
      ConfigOption.integer(
          "compaction.delta.commits",
          5,
          "merge-on-read: schedule and run a compaction (inline, after the commit) every N delta commits.");

  /** Number of commits whose file versions the cleaner keeps (for readers and incremental queries); default 10. */
  public static final ConfigOption<Integer> CLEANER_COMMITS_RETAINED =
      ConfigOption.integer(
          "cleaner.commits.retained", 10, "Commits whose file versions the cleaner keeps (hoodie.clean.commits.retained).");

  /**
   * How long the sink remembers the ordering value of a deleted key (in Flink state), so that a late or replayed
   * change of that key with a lower ordering cannot bring the row back after the delete has reached Hudi; 0 turns
   * it off. Default 1h. Costs one state entry (key and a long) per key deleted within the period.
   */
  public static final ConfigOption<Duration> TOMBSTONE_RETENTION =
      ConfigOption.duration(
          "tombstone.retention",
          Duration.ofHours(1),
          "How long deleted keys are remembered so that late changes with a lower ordering cannot resurrect them;"
              + " 0 turns it off.");

  /**
   * Shortest time between two commits of a table. 0 (the default) writes and commits at every checkpoint. A longer
   * interval keeps a table's changes in Flink state across checkpoints and writes them together at the first
   * checkpoint after the interval: fewer, larger Hudi commits (each commit has a fixed cost of index lookup, file
   * and metadata-table writes), at the price of Hudi lagging by up to the interval. Kafka sinks of the same pipeline
   * still commit at every checkpoint. The savepoint of a stop and the end of a bounded input always write everything
   * buffered; a table holding 200,000 rows or more is written at the next checkpoint regardless.
   */
  public static final ConfigOption<Duration> COMMIT_INTERVAL =
      ConfigOption.duration(
          "commit.interval",
          Duration.ZERO,
          "Shortest time between two Hudi commits of a table; 0 commits at every checkpoint. Longer: fewer, larger"
              + " commits (cheaper), Hudi lags by up to the interval; a stop's savepoint always commits.");

  /** Pass-through prefix: {@code hoodie.metadata.enable: false} goes to the Hudi write config unchanged. */
  public static final String HOODIE_PREFIX = "hoodie.";

  /**
   * Pass-through prefix for the Hadoop file system configuration, prefix removed: {@code hadoop.fs.s3a.endpoint:
   * http://127.0.0.1:9000} sets {@code fs.s3a.endpoint} (for object stores behind the base path).
   */
  public static final String HADOOP_PREFIX = "hadoop.";

  private HudiSinkOptions() {}
}
