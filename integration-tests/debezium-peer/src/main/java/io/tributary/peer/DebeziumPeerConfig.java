package io.tributary.peer;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What the Debezium peer reads, from where, and where it writes: an immutable, validated map of string options. Keys
 * reuse Debezium's names where Debezium has one ({@code database.hostname}, {@code slot.name}, {@code
 * poll.interval.ms}, ...). Needs only the JDK: {@link DebeziumPeerProcess} writes it as a properties file into the work
 * directory (so the password never appears on a command line) and {@link DebeziumPeer} reads it back.
 *
 * <p>Pass-through prefixes: {@code debezium.} (any Debezium engine or PostgreSQL connector property, applied last, so
 * it overrides the peer's choices), {@code producer.} (Kafka producer properties, for example {@code
 * producer.linger.ms}) and {@code converter.} (Apicurio converter properties, for both key and value).
 */
public final class DebeziumPeerConfig {

  /** PostgreSQL host, required. */
  public static final String DATABASE_HOSTNAME = "database.hostname";
  /** PostgreSQL port, required. */
  public static final String DATABASE_PORT = "database.port";
  /** Database name, required. */
  public static final String DATABASE_DBNAME = "database.dbname";
  /** User (needs the REPLICATION attribute and, for the publication, table ownership), required. */
  public static final String DATABASE_USER = "database.user";
  /** Password, required (may be empty). */
  public static final String DATABASE_PASSWORD = "database.password";
  /** The captured table as {@code schema.table}, required. */
  public static final String TABLE = "table";
  /** Replication slot the peer creates and uses (pgoutput), required. */
  public static final String SLOT_NAME = "slot.name";
  /** Publication the peer creates for {@link #TABLE} only (publication.autocreate.mode=filtered), required. */
  public static final String PUBLICATION_NAME = "publication.name";
  /** Kafka bootstrap servers, required. */
  public static final String KAFKA_BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
  /** Topic prefix; the topic is {@code <topic.prefix>.<schema>.<table>} (Debezium's naming), required. */
  public static final String TOPIC_PREFIX = "topic.prefix";
  /** Partitions of the topic when the peer creates it (it keeps an existing topic); default 1. */
  public static final String TOPIC_PARTITIONS = "topic.partitions";
  /** Replication factor of the topic when the peer creates it; default 1. */
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  /** Apicurio's Confluent-compatible API, {@code http://host:port/apis/ccompat/v7}; informational. */
  public static final String REGISTRY_CCOMPAT_URL = "registry.ccompat.url";
  /**
   * Apicurio's core API, {@code http://host:port/apis/registry/v3}, which Apicurio's serdes call; derived from {@link
   * #REGISTRY_CCOMPAT_URL} when absent. One of the two is required for {@code format=avro}.
   */
  public static final String REGISTRY_URL = "registry.url";
  /** {@code avro} (default: Apicurio's AvroConverter, Confluent wire format) or {@code json} (Connect JsonConverter). */
  public static final String FORMAT = "format";
  /** Debezium's snapshot.mode: {@code initial} (default), {@code initial_only} or {@code no_data} ({@code never}). */
  public static final String SNAPSHOT_MODE = "snapshot.mode";
  /** Debezium's poll.interval.ms (ms the task waits for a batch to fill); default 500, Debezium's default. */
  public static final String POLL_INTERVAL_MS = "poll.interval.ms";
  /** Debezium's max.batch.size (records); default 2048. */
  public static final String MAX_BATCH_SIZE = "max.batch.size";
  /** Debezium's max.queue.size (records); default 8192, must exceed max.batch.size. */
  public static final String MAX_QUEUE_SIZE = "max.queue.size";
  /** Debezium's offset.flush.interval.ms: how often acked offsets go to the offsets file and the slot; default 10000. */
  public static final String OFFSET_FLUSH_INTERVAL_MS = "offset.flush.interval.ms";
  /** Milliseconds between {@code progress} lines on stdout; default 1000. */
  public static final String PROGRESS_INTERVAL_MS = "progress.interval.ms";
  /** Work directory (offsets file, log, config file), required; created when missing. */
  public static final String WORK_DIR = "work.dir";

  /** Prefix of options passed to the Debezium engine and connector as they are (prefix removed). */
  public static final String DEBEZIUM_PREFIX = "debezium.";
  /** Prefix of options passed to the Kafka producer as they are (prefix removed). */
  public static final String PRODUCER_PREFIX = "producer.";
  /** Prefix of options passed to the key and value converters as they are (prefix removed). */
  public static final String CONVERTER_PREFIX = "converter.";

  private static final List<String> REQUIRED =
      List.of(
          DATABASE_HOSTNAME,
          DATABASE_PORT,
          DATABASE_DBNAME,
          DATABASE_USER,
          DATABASE_PASSWORD,
          TABLE,
          SLOT_NAME,
          PUBLICATION_NAME,
          KAFKA_BOOTSTRAP_SERVERS,
          TOPIC_PREFIX,
          WORK_DIR);

  private static final Map<String, String> DEFAULTS;

  static {
    Map<String, String> d = new LinkedHashMap<>();
    d.put(FORMAT, "avro");
    d.put(SNAPSHOT_MODE, "initial");
    d.put(POLL_INTERVAL_MS, "500");
    d.put(MAX_BATCH_SIZE, "2048");
    d.put(MAX_QUEUE_SIZE, "8192");
    d.put(OFFSET_FLUSH_INTERVAL_MS, "10000");
    d.put(PROGRESS_INTERVAL_MS, "1000");
    d.put(TOPIC_PARTITIONS, "1");
    d.put(TOPIC_REPLICATION_FACTOR, "1");
    d.put(PRODUCER_PREFIX + "linger.ms", "5");
    d.put(PRODUCER_PREFIX + "batch.size", "131072");
    d.put(PRODUCER_PREFIX + "compression.type", "lz4");
    DEFAULTS = Collections.unmodifiableMap(d);
  }

  private static final List<String> KNOWN =
      List.of(
          DATABASE_HOSTNAME,
          DATABASE_PORT,
          DATABASE_DBNAME,
          DATABASE_USER,
          DATABASE_PASSWORD,
          TABLE,
          SLOT_NAME,
          PUBLICATION_NAME,
          KAFKA_BOOTSTRAP_SERVERS,
          TOPIC_PREFIX,
          TOPIC_PARTITIONS,
          TOPIC_REPLICATION_FACTOR,
          REGISTRY_CCOMPAT_URL,
          REGISTRY_URL,
          FORMAT,
          SNAPSHOT_MODE,
          POLL_INTERVAL_MS,
          MAX_BATCH_SIZE,
          MAX_QUEUE_SIZE,
          OFFSET_FLUSH_INTERVAL_MS,
          PROGRESS_INTERVAL_MS,
          WORK_DIR);

  /** Debezium's snapshot modes the peer supports (Debezium 3 names). */
  public enum SnapshotMode {
    /** Snapshot the table, then stream. */
    INITIAL("initial"),
    /** Snapshot the table, then stop streaming (the engine keeps running idle). */
    INITIAL_ONLY("initial_only"),
    /** No snapshot: stream from the slot's creation on ({@code never} in Debezium 1.x/2.x). */
    NO_DATA("no_data");

    private final String debeziumName;

    SnapshotMode(String debeziumName) {
      this.debeziumName = debeziumName;
    }

    /** @return the value of Debezium's {@code snapshot.mode} */
    public String debeziumName() {
      return debeziumName;
    }

    /**
     * @param value a Debezium snapshot mode name, case-insensitive; {@code never} means {@link #NO_DATA}
     * @return the mode
     * @throws IllegalArgumentException for any other value
     */
    public static SnapshotMode parse(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.equals("never")) {
        return NO_DATA;
      }
      for (SnapshotMode m : values()) {
        if (m.debeziumName.equals(v)) {
          return m;
        }
      }
      throw new IllegalArgumentException("use initial, initial_only or no_data");
    }
  }

  /** How keys and values are serialized. */
  public enum Format {
    /** Apicurio's AvroConverter: Confluent wire format (magic byte 0, 4-byte content id, Avro binary). */
    AVRO,
    /** Kafka Connect's JsonConverter with schemas off: plain JSON. */
    JSON;

    static Format parse(String value) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(value.trim())) {
          return f;
        }
      }
      throw new IllegalArgumentException("use avro or json");
    }
  }

  private final Map<String, String> values;

  private DebeziumPeerConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** @return a builder with every default set */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a configuration from string options (unset options take their defaults).
   *
   * @param options option name to value
   * @return the validated configuration
   * @throws IllegalArgumentException listing every missing, unknown or invalid option at once, one per line
   */
  public static DebeziumPeerConfig of(Map<String, String> options) {
    Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
    all.putAll(options);
    List<String> problems = new ArrayList<>();
    for (String key : REQUIRED) {
      if (!all.containsKey(key) || (all.get(key) == null)) {
        problems.add("Missing required configuration \"" + key + "\" which has no default value.");
      }
    }
    for (Map.Entry<String, String> e : all.entrySet()) {
      String k = e.getKey();
      if (e.getValue() == null) {
        problems.add("Invalid value null for configuration " + k + ": a value is required");
        continue;
      }
      if (!KNOWN.contains(k)
          && !k.startsWith(DEBEZIUM_PREFIX)
          && !k.startsWith(PRODUCER_PREFIX)
          && !k.startsWith(CONVERTER_PREFIX)) {
        problems.add(
            "Unknown configuration \"" + k + "\"; pass-through prefixes are " + DEBEZIUM_PREFIX + ", " + PRODUCER_PREFIX
                + " and " + CONVERTER_PREFIX);
      }
    }
    checkInt(all, DATABASE_PORT, 1, 65535, problems);
    checkInt(all, TOPIC_PARTITIONS, 1, 10_000, problems);
    checkInt(all, TOPIC_REPLICATION_FACTOR, 1, 32, problems);
    checkInt(all, POLL_INTERVAL_MS, 1, Integer.MAX_VALUE, problems);
    checkInt(all, MAX_BATCH_SIZE, 1, Integer.MAX_VALUE, problems);
    checkInt(all, MAX_QUEUE_SIZE, 2, Integer.MAX_VALUE, problems);
    checkInt(all, OFFSET_FLUSH_INTERVAL_MS, 0, Integer.MAX_VALUE, problems);
    checkInt(all, PROGRESS_INTERVAL_MS, 10, Integer.MAX_VALUE, problems);
    String table = all.get(TABLE);
    if (table != null && !table.matches("[^.\\s]+\\.[^.\\s]+")) {
      problems.add("Invalid value " + table + " for configuration " + TABLE + ": use schema.table");
    }
    String snapshot = all.get(SNAPSHOT_MODE);
    if (snapshot != null) {
      try {
        SnapshotMode.parse(snapshot);
      } catch (IllegalArgumentException e) {
        problems.add("Invalid value " + snapshot + " for configuration " + SNAPSHOT_MODE + ": " + e.getMessage());
      }
    }
    Format format = null;
    if (all.get(FORMAT) != null) {
      try {
        format = Format.parse(all.get(FORMAT));
      } catch (IllegalArgumentException e) {
        problems.add("Invalid value " + all.get(FORMAT) + " for configuration " + FORMAT + ": " + e.getMessage());
      }
    }
    if (format == Format.AVRO && all.get(REGISTRY_URL) == null && all.get(REGISTRY_CCOMPAT_URL) == null) {
      problems.add(
          "Missing required configuration \"" + REGISTRY_URL + "\" (or \"" + REGISTRY_CCOMPAT_URL + "\") for format avro.");
    }
    String ccompat = all.get(REGISTRY_CCOMPAT_URL);
    if (all.get(REGISTRY_URL) == null && ccompat != null && !ccompat.replaceAll("/+$", "").endsWith("/apis/ccompat/v7")) {
      problems.add(
          "Invalid value " + ccompat + " for configuration " + REGISTRY_CCOMPAT_URL
              + ": cannot derive Apicurio's core API URL; it must end with /apis/ccompat/v7, or set " + REGISTRY_URL);
    }
    if (problems.isEmpty()
        && Long.parseLong(all.get(MAX_QUEUE_SIZE)) <= Long.parseLong(all.get(MAX_BATCH_SIZE))) {
      problems.add(
          "Invalid value " + all.get(MAX_QUEUE_SIZE) + " for configuration " + MAX_QUEUE_SIZE + ": must be larger than "
              + MAX_BATCH_SIZE + " (" + all.get(MAX_BATCH_SIZE) + "), as Debezium requires");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid Debezium peer configuration:\n" + String.join("\n", problems));
    }
    return new DebeziumPeerConfig(all);
  }

  private static void checkInt(Map<String, String> all, String key, long min, long max, List<String> problems) {
    String v = all.get(key);
    if (v == null) {
      return;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n < min || n > max) {
        problems.add("Invalid value " + v + " for configuration " + key + ": must be between " + min + " and " + max);
      }
    } catch (NumberFormatException e) {
      problems.add("Invalid value " + v + " for configuration " + key + ": not a whole number");
    }
  }

  /**
   * Reads a configuration written by {@link #write(Path)}.
   *
   * @param file a properties file (UTF-8)
   * @return the validated configuration
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if the options are invalid (see {@link #of(Map)})
   */
  public static DebeziumPeerConfig read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k, p.getProperty(k));
    }
    return of(m);
  }

  /**
   * Writes every option (defaults included) as a UTF-8 properties file, readable by the owner only where the file
   * system supports POSIX permissions (it holds the database password).
   *
   * @param file the file to create or replace
   * @throws IOException if it cannot be written
   */
  public void write(Path file) throws IOException {
    Properties p = new Properties();
    p.putAll(values);
    Files.deleteIfExists(file);
    Files.createFile(file);
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the file keeps the default permissions
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "Debezium peer configuration");
    }
  }

  /** @return every option, defaults included, sorted by name; unmodifiable */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(new TreeMap<>(values));
  }

  /**
   * @param key an option name
   * @return its value, or null when unset and without default
   */
  public String get(String key) {
    return values.get(key);
  }

  /**
   * @param prefix a pass-through prefix such as {@link #PRODUCER_PREFIX}
   * @return the options under that prefix with the prefix removed, in insertion order
   */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> m = new LinkedHashMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        m.put(k.substring(prefix.length()), v);
      }
    });
    return m;
  }

  /** @return the work directory */
  public Path workDir() {
    return Path.of(values.get(WORK_DIR));
  }

  /** @return the captured table as {@code schema.table} */
  public String table() {
    return values.get(TABLE);
  }

  /** @return the Kafka topic the peer writes: {@code <topic.prefix>.<schema>.<table>} */
  public String topic() {
    return values.get(TOPIC_PREFIX) + "." + table();
  }

  /** @return the snapshot mode */
  public SnapshotMode snapshotMode() {
    return SnapshotMode.parse(values.get(SNAPSHOT_MODE));
  }

  /** @return the serialization format */
  public Format format() {
    return Format.parse(values.get(FORMAT));
  }

  /**
   * @return Apicurio's core v3 API URL for the serdes: {@link #REGISTRY_URL}, or derived from {@link
   *     #REGISTRY_CCOMPAT_URL} ({@code /apis/ccompat/v7} replaced by {@code /apis/registry/v3}); null when neither is
   *     set
   */
  public String registryUrl() {
    String url = values.get(REGISTRY_URL);
    if (url != null) {
      return url;
    }
    String ccompat = values.get(REGISTRY_CCOMPAT_URL);
    if (ccompat == null) {
      return null;
    }
    String base = ccompat.replaceAll("/+$", "");
    return base.substring(0, base.length() - "/apis/ccompat/v7".length()) + "/apis/registry/v3";
  }

  /**
   * @param key an option holding a whole number
   * @return its value
   * @throws NumberFormatException if the option is unset (cannot happen for options with defaults)
   */
  public long getLong(String key) {
    return Long.parseLong(Objects.requireNonNull(values.get(key), key).trim());
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>(values);
    shown.computeIfPresent(DATABASE_PASSWORD, (k, v) -> "********");
    shown.replaceAll((k, v) -> k.toLowerCase(Locale.ROOT).contains("password") ? "********" : v);
    return "DebeziumPeerConfig" + shown;
  }

  /** Collects options; {@link #build()} validates them all at once. */
  public static final class Builder {
    private final Map<String, String> options = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the database connection.
     *
     * @param host host name or address
     * @param port port
     * @param database database name
     * @param user user name
     * @param password password (not logged)
     * @return this builder
     */
    public Builder database(String host, int port, String database, String user, String password) {
      options.put(DATABASE_HOSTNAME, host);
      options.put(DATABASE_PORT, Integer.toString(port));
      options.put(DATABASE_DBNAME, database);
      options.put(DATABASE_USER, user);
      options.put(DATABASE_PASSWORD, password);
      return this;
    }

    /**
     * @param schemaDotTable the captured table, {@code schema.table}
     * @return this builder
     */
    public Builder table(String schemaDotTable) {
      return set(TABLE, schemaDotTable);
    }

    /**
     * @param slot the replication slot name (created by the peer on first start, kept on stop)
     * @param publication the publication name (created by the peer for the table only)
     * @return this builder
     */
    public Builder slotAndPublication(String slot, String publication) {
      set(SLOT_NAME, slot);
      return set(PUBLICATION_NAME, publication);
    }

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topicPrefix the topic prefix (Debezium's topic.prefix)
     * @return this builder
     */
    public Builder kafka(String bootstrapServers, String topicPrefix) {
      set(KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
      return set(TOPIC_PREFIX, topicPrefix);
    }

    /**
     * @param ccompatUrl Apicurio's {@code .../apis/ccompat/v7} URL; the core v3 URL is derived from it
     * @return this builder
     */
    public Builder registry(String ccompatUrl) {
      return set(REGISTRY_CCOMPAT_URL, ccompatUrl);
    }

    /**
     * @param mode the snapshot mode
     * @return this builder
     */
    public Builder snapshotMode(SnapshotMode mode) {
      return set(SNAPSHOT_MODE, mode.debeziumName());
    }

    /**
     * @param pollIntervalMs Debezium's poll.interval.ms
     * @return this builder
     */
    public Builder pollIntervalMs(long pollIntervalMs) {
      return set(POLL_INTERVAL_MS, Long.toString(pollIntervalMs));
    }

    /**
     * @param maxBatchSize Debezium's max.batch.size (records)
     * @param maxQueueSize Debezium's max.queue.size (records), larger than maxBatchSize
     * @return this builder
     */
    public Builder batching(int maxBatchSize, int maxQueueSize) {
      set(MAX_BATCH_SIZE, Integer.toString(maxBatchSize));
      return set(MAX_QUEUE_SIZE, Integer.toString(maxQueueSize));
    }

    /**
     * @param dir the work directory (offsets file, config file, log)
     * @return this builder
     */
    public Builder workDir(Path dir) {
      return set(WORK_DIR, dir.toAbsolutePath().toString());
    }

    /**
     * @param key a Kafka producer property, for example {@code linger.ms}
     * @param value its value
     * @return this builder
     */
    public Builder producer(String key, String value) {
      return set(PRODUCER_PREFIX + key, value);
    }

    /**
     * @param key a Debezium engine or connector property
     * @param value its value
     * @return this builder
     */
    public Builder debezium(String key, String value) {
      return set(DEBEZIUM_PREFIX + key, value);
    }

    /**
     * @param key any option name (see the constants and prefixes of {@link DebeziumPeerConfig})
     * @param value its value; null removes the option (so it takes its default, if any)
     * @return this builder
     */
    public Builder set(String key, String value) {
      Objects.requireNonNull(key, "key");
      if (value == null) {
        options.remove(key);
      } else {
        options.put(key, value);
      }
      return this;
    }

    /**
     * @return the validated configuration
     * @throws IllegalArgumentException listing every missing, unknown or invalid option
     */
    public DebeziumPeerConfig build() {
      return of(options);
    }
  }
}
