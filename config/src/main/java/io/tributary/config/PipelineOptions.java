package io.tributary.config;

import io.tributary.schema.CompatibilityLevel;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The options of the pipeline's own blocks ({@code pipeline:}, {@code schema:}, {@code errors:}), as
 * {@link ConfigOption}s: the parser validates these blocks exactly like a factory's options, and
 * {@link OptionsDoc} renders them. Keys are relative to their block.
 */
public final class PipelineOptions {
  /** Allowed pipeline names: 1 to 63 characters, lower-case letters, digits and hyphens, starting with a letter. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  /** Smallest accepted checkpoint interval, 100 ms (shorter intervals spend the job's time checkpointing). */
  public static final Duration MIN_CHECKPOINT_INTERVAL = Duration.ofMillis(100);

  /**
   * Legal Kafka topic names (Kafka's own rule: ASCII letters, digits, {@code .}, {@code _}, {@code -}, at most 249
   * characters, not {@code .} or {@code ..}).
   */
  private static final Pattern KAFKA_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  // ---- pipeline: ----

  /** {@code pipeline.name}, required. */
  public static final ConfigOption<String> NAME =
      ConfigOption.string(
              "name",
              null,
              "Pipeline name; names the Flink job, replication slot suffix and transactional id prefix.")
          .withCheck(
              n -> NAME_PATTERN.matcher(n).matches(),
              "use 1 to 63 lower-case letters, digits and hyphens, starting with a letter");

  /** {@code pipeline.owner}: owning team, free text. */
  public static final ConfigOption<String> OWNER = ConfigOption.string("owner", null, "Owning team, free text.");

  /** {@code pipeline.parallelism}: Flink parallelism, at least 1, default 1. */
  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOption.integer("parallelism", 1, "Flink parallelism of the job.")
          .withCheck(p -> p >= 1, "must be at least 1");

  /** {@code pipeline.checkpoint.interval}: time between checkpoints, at least 100ms, default 10s. */
  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOption.duration(
              "checkpoint.interval",
              Duration.ofSeconds(10),
              "Time between Flink checkpoints; exactly-once sinks commit on each.")
          .withCheck(
              d -> d.compareTo(MIN_CHECKPOINT_INTERVAL) >= 0,
              "must be at least " + Durations.format(MIN_CHECKPOINT_INTERVAL));

  /** {@code pipeline.delivery.guarantee}: exactly-once (default) or at-least-once. */
  public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE =
      ConfigOption.enumOption(
          "delivery.guarantee",
          DeliveryGuarantee.class,
          DeliveryGuarantee.EXACTLY_ONCE,
          "What sinks promise after restarts.");

  /** {@code pipeline.state.dir}: local checkpoint directory when run embedded. */
  public static final ConfigOption<String> STATE_DIR =
      ConfigOption.string(
          "state.dir", null, "Local checkpoint directory when run embedded; default ./.tributary/<name>.");

  /** {@code pipeline.schema.change.behavior}: evolve (default), fail or ignore. */
  public static final ConfigOption<SchemaChangeBehavior> SCHEMA_CHANGE_BEHAVIOR =
      ConfigOption.enumOption(
          "schema.change.behavior",
          SchemaChangeBehavior.class,
          SchemaChangeBehavior.EVOLVE,
          "What a column change in a source table does: evolve (register a new schema version when the compatibility "
              + "level allows it, else stop), fail (stop on any), ignore (keep the old schema).");

  /** {@code pipeline.table.discovery.interval}: how often {@code tributary run} looks for new matching tables. */
  public static final ConfigOption<Duration> TABLE_DISCOVERY_INTERVAL =
      ConfigOption.duration(
          "table.discovery.interval",
          PipelineSettings.DEFAULT_TABLE_DISCOVERY_INTERVAL,
          "How often an embedded run (tributary run) looks for new tables matching source.tables; it restarts "
              + "from a savepoint with them, snapshotting only them. 0 turns it off.");

  /** Required options of the {@code pipeline:} block. */
  public static final Set<ConfigOption<?>> PIPELINE_REQUIRED = Set.of(NAME);

  /** Optional options of the {@code pipeline:} block. */
  public static final Set<ConfigOption<?>> PIPELINE_OPTIONAL =
      Set.of(OWNER, PARALLELISM, CHECKPOINT_INTERVAL, DELIVERY_GUARANTEE, STATE_DIR, SCHEMA_CHANGE_BEHAVIOR,
          TABLE_DISCOVERY_INTERVAL);

  // ---- schema: ----

  /** {@code schema.registry.url}: an http(s) URL of a Confluent-compatible registry. */
  public static final ConfigOption<String> REGISTRY_URL =
      ConfigOption.string(
              "registry.url",
              null,
              "Base URL of a Confluent-compatible schema registry REST API, e.g. http://127.0.0.1:8085/apis/ccompat/v7.")
          .withCheck(PipelineOptions::isHttpUrl, "use an http:// or https:// URL with a host")
          // credentials in a URL end up in every message and log line that names the registry
          .withCheck(PipelineOptions::hasNoUserInfo, "put no credentials in the URL (user:password@ is not supported)");

  /** {@code schema.compatibility}: the level set on subjects Tributary creates, default BACKWARD. */
  public static final ConfigOption<CompatibilityLevel> COMPATIBILITY =
      ConfigOption.enumOption(
          "compatibility",
          CompatibilityLevel.class,
          CompatibilityLevel.BACKWARD,
          "Compatibility level set on subjects Tributary creates.");

  /** {@code schema.subject.naming}: only {@code topic} ({@code <topic>-key}, {@code <topic>-value}). */
  public static final ConfigOption<String> SUBJECT_NAMING =
      ConfigOption.string("subject.naming", "topic", "Subject naming strategy: <topic>-key and <topic>-value.")
          .withCheck("topic"::equals, "use topic (subjects <topic>-key and <topic>-value)");

  /** Options of the {@code schema:} block, all optional. */
  public static final Set<ConfigOption<?>> SCHEMA_OPTIONAL = Set.of(REGISTRY_URL, COMPATIBILITY, SUBJECT_NAMING);

  // ---- errors: ----

  /** {@code errors.mode}: fail (default), skip or dlq. */
  public static final ConfigOption<ErrorMode> ERROR_MODE =
      ConfigOption.enumOption(
          "mode", ErrorMode.class, ErrorMode.FAIL, "What happens to a record that fails a stage.");

  /** {@code errors.dlq.topic}: the dead-letter topic; required when mode is dlq, not allowed otherwise. */
  public static final ConfigOption<String> DLQ_TOPIC =
      ConfigOption.string("dlq.topic", null, "Dead-letter Kafka topic; required when mode is dlq.")
          .withCheck(
              t -> KAFKA_TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
              "use a Kafka topic name: up to 249 ASCII letters, digits, '.', '_' and '-'");

  /** The sink type whose {@code bootstrap.servers} is the default of {@link #DLQ_BOOTSTRAP_SERVERS}. */
  public static final String KAFKA_SINK_TYPE = "kafka";

  /**
   * {@code errors.dlq.bootstrap.servers}: the Kafka cluster of the dead-letter topic when mode is dlq; default the
   * {@code bootstrap.servers} of the first sink of type {@code kafka}. Required when mode is dlq and the pipeline has
   * no kafka sink (a Hudi-only pipeline); not allowed otherwise.
   */
  public static final ConfigOption<String> DLQ_BOOTSTRAP_SERVERS =
      ConfigOption.string(
              "dlq.bootstrap.servers",
              null,
              "Kafka bootstrap servers of the dead-letter topic when mode is dlq; default: the bootstrap.servers of "
                  + "the first kafka sink.")
          .withCheck(s -> !s.isBlank(), "use host:port[,host:port...]");

  /**
   * Options of the {@code errors:} block, all optional (the parser requires dlq.topic when mode is dlq, and
   * dlq.bootstrap.servers when mode is dlq and no kafka sink gives a default).
   */
  public static final Set<ConfigOption<?>> ERRORS_OPTIONAL = Set.of(ERROR_MODE, DLQ_TOPIC, DLQ_BOOTSTRAP_SERVERS);

  private PipelineOptions() {}

  private static boolean hasNoUserInfo(String s) {
    try {
      return new URI(s.trim()).getRawUserInfo() == null;
    } catch (URISyntaxException e) {
      return true; // reported by isHttpUrl
    }
  }

  private static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s.trim());
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
