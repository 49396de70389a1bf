package io.tributary.sink.hudi;

import io.tributary.config.ConfigOption;
import io.tributary.config.ConfigProblem;
import io.tributary.config.Options;
import io.tributary.config.OptionsValidator;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.Templates;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SinkContext;
import io.tributary.config.spi.SinkFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code type: hudi} sink: change events upserted and deleted in Apache Hudi tables with the Hudi Java client,
 * one Hudi commit per completed Flink checkpoint, one writer per table.
 *
 * <p>Options: see {@link HudiSinkOptions}; keys under {@code hoodie.} go to the Hudi write config unchanged and are
 * applied after Tributary's own settings, except the keys Tributary must control (listed in {@link
 * #MANAGED_HOODIE_KEYS}), which are refused; keys under {@code hadoop.} go, prefix removed, to the Hadoop
 * configuration of the file system (for example {@code hadoop.fs.s3a.endpoint}).
 */
public final class HudiSinkFactory implements SinkFactory {

  /** The {@code type} value of this sink. */
  public static final String IDENTIFIER = "hudi";

  /**
   * Hudi keys that Tributary sets itself and that a pass-through {@code hoodie.} option may not override: the table
   * identity and layout (name, type, record key, ordering and partition fields, key generator, payload and merge
   * mode, delete marker), the settings whose defaults lose data or cannot work here (the embedded timeline
   * server, STACK.md pitfall 1; the small-file limit on MERGE_ON_READ, pitfall 14), and those the commit protocol and
   * the index rely on (index type, failed-writes policy, markers, inline compaction; pitfalls 15 and 16).
   */
  public static final Set<String> MANAGED_HOODIE_KEYS =
      Set.of(
          "hoodie.table.name",
          "hoodie.table.type",
          "hoodie.datasource.write.table.type",
          "hoodie.datasource.write.recordkey.field",
          "hoodie.table.recordkey.fields",
          "hoodie.datasource.write.precombine.field",
          "hoodie.table.precombine.field",
          "hoodie.table.ordering.fields",
          "hoodie.datasource.write.partitionpath.field",
          "hoodie.table.partition.fields",
          "hoodie.datasource.write.keygenerator.class",
          "hoodie.datasource.write.keygenerator.type",
          "hoodie.datasource.write.payload.class",
          "hoodie.compaction.payload.class",
          "hoodie.record.merge.mode",
          "hoodie.write.record.merge.mode",
          "hoodie.payload.delete.field",
          "hoodie.payload.delete.marker",
          "hoodie.embed.timeline.server",
          "hoodie.parquet.small.file.limit",
          "hoodie.avro.schema",
          "hoodie.base.path",
          // the commit protocol and the index depend on these (STACK.md pitfalls 15 and 16)
          "hoodie.index.type",
          "hoodie.simple.index.update.partition.path",
          "hoodie.clean.failed.writes.policy",
          "hoodie.write.markers.type",
          "hoodie.compact.inline",
          "hoodie.compact.schedule.inline");

  @Override
  public String identifier() {
    return IDENTIFIER;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Set.of(HudiSinkOptions.PATH);
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    return Set.of(
        HudiSinkOptions.TABLE_TYPE,
        HudiSinkOptions.TABLE_NAME,
        HudiSinkOptions.PARTITION_PATH,
        HudiSinkOptions.COMPACTION_DELTA_COMMITS,
        HudiSinkOptions.CLEANER_COMMITS_RETAINED,
        HudiSinkOptions.TOMBSTONE_RETENTION,
        HudiSinkOptions.COMMIT_INTERVAL);
  }

  @Override
  public Set<String> passThroughPrefixes() {
    return Set.of(HudiSinkOptions.HOODIE_PREFIX, HudiSinkOptions.HADOOP_PREFIX);
  }

  /**
   * Creates the sink without touching any file system.
   *
   * @throws PipelineValidationException listing every problem at once: what {@link OptionsValidator} finds (a
   *     required option missing, an unknown key neither declared nor under {@code hoodie.}, a value that does not
   *     parse), plus a bad path or table name template, a non-positive count, a negative retention, or a {@code
   *     hoodie.} key Tributary manages
   */
  @Override
  public PipelineSink createSink(SinkContext context) {
    return new HudiPipelineSink(config(context));
  }

  /**
   * Resolves the sink's settings from its context (see {@link #createSink} for the checks).
   *
   * @throws PipelineValidationException with every problem found
   */
  public HudiSinkConfig config(SinkContext context) {
    Options o = context.options();
    List<ConfigProblem> problems = new ArrayList<>(OptionsValidator.validate(this, o));

    Map<String, String> hoodie = new LinkedHashMap<>();
    Map<String, String> hadoop = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : o.asMap().entrySet()) {
      String key = e.getKey();
      if (key.startsWith(HudiSinkOptions.HADOOP_PREFIX) && key.length() > HudiSinkOptions.HADOOP_PREFIX.length()) {
        hadoop.put(key.substring(HudiSinkOptions.HADOOP_PREFIX.length()), e.getValue());
      }
      if (key.startsWith(HudiSinkOptions.HOODIE_PREFIX) && key.length() > HudiSinkOptions.HOODIE_PREFIX.length()) {
        if (MANAGED_HOODIE_KEYS.contains(key)) {
          problems.add(problem(o, key, key + " is set by Tributary and may not be overridden" + hint(key)));
        } else {
          hoodie.put(key, e.getValue());
        }
      }
    }

    String path = template(o, HudiSinkOptions.PATH, problems);
    String tableName = template(o, HudiSinkOptions.TABLE_NAME, problems);
    HudiTableType type = parsed(o, HudiSinkOptions.TABLE_TYPE);
    String partition = parsed(o, HudiSinkOptions.PARTITION_PATH);
    if (partition != null && partition.isBlank()) {
      partition = null;
    }
    Integer deltaCommits = positive(o, HudiSinkOptions.COMPACTION_DELTA_COMMITS, problems);
    Integer retained = positive(o, HudiSinkOptions.CLEANER_COMMITS_RETAINED, problems);
    Duration retention = parsed(o, HudiSinkOptions.TOMBSTONE_RETENTION);
    Duration commitInterval = parsed(o, HudiSinkOptions.COMMIT_INTERVAL);
    if (commitInterval != null && commitInterval.isNegative()) {
      problems.add(problem(o, HudiSinkOptions.COMMIT_INTERVAL.key(), "must not be negative"));
    }
    if (!problems.isEmpty()) {
      throw new PipelineValidationException(context.pipeline() == null ? null : context.pipeline().file(), problems);
    }
    return new HudiSinkConfig(
        context.sinkName(),
        path.trim(),
        type,
        tableName.trim(),
        partition == null ? null : partition.trim(),
        deltaCommits,
        retained,
        retention,
        hoodie,
        hadoop,
        commitInterval == null ? Duration.ZERO : commitInterval);
  }

  private static String hint(String key) {
    switch (key) {
      case "hoodie.table.name":
        return "; use table.name";
      case "hoodie.table.type":
      case "hoodie.datasource.write.table.type":
        return "; use table.type";
      case "hoodie.datasource.write.partitionpath.field":
      case "hoodie.table.partition.fields":
        return "; use partition.path";
      case "hoodie.base.path":
        return "; use path";
      case "hoodie.datasource.write.recordkey.field":
      case "hoodie.table.recordkey.fields":
        return " (the record key is the table's primary key)";
      case "hoodie.datasource.write.precombine.field":
      case "hoodie.table.precombine.field":
      case "hoodie.table.ordering.fields":
        return " (the ordering field is " + HudiRows.ORDERING_FIELD + ", the source log position)";
      default:
        return "";
    }
  }

  /** A required-or-defaulted template option, checked for unknown variables and emptiness. */
  private static String template(Options o, ConfigOption<String> option, List<ConfigProblem> problems) {
    String v = parsed(o, option);
    if (v == null) {
      return null; // missing required option: reported by OptionsValidator
    }
    if (v.isBlank()) {
      problems.add(problem(o, option.key(), Options.invalid(option, v, new IllegalArgumentException("must not be empty"))));
      return v;
    }
    try {
      Templates.check(v);
    } catch (IllegalArgumentException e) {
      problems.add(problem(o, option.key(), Options.invalid(option, v, e)));
    }
    return v;
  }

  /** The parsed value, or the default when it does not parse (OptionsValidator has reported that already). */
  private static <T> T parsed(Options o, ConfigOption<T> option) {
    try {
      return o.get(option);
    } catch (PipelineValidationException e) {
      return option.defaultValue();
    }
  }

  private static Integer positive(Options o, ConfigOption<Integer> option, List<ConfigProblem> problems) {
    Integer v = parsed(o, option);
    if (v != null && v < 1) {
      problems.add(problem(o, option.key(), Options.invalid(option, o.getString(option.key()),
          new IllegalArgumentException("must be at least 1"))));
      return option.defaultValue();
    }
    return v;
  }

  private static ConfigProblem problem(Options o, String key, String message) {
    return new ConfigProblem(o.path() + "." + key, o.line(key), message);
  }
}
