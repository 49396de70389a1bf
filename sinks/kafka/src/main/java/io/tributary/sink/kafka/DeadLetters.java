package io.tributary.sink.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.config.Stage;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.SourceInfo;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Dead-letter records: the raw change as JSON, with headers naming the pipeline, the table, the stage and the
 * reason (the Kafka Connect convention of describing failed records in headers).
 *
 * <p>Value JSON: {@code {"table": "db.schema.table", "op": "c", "ts_ms": 1700000000000, "before": {...} | null,
 * "after": {...} | null, "source": {...}, "invalid_columns": ["amount"]}}; column values as JSON numbers, strings
 * and booleans, DECIMAL as a plain-notation string (no precision lost), BYTES as base64, and a value the source could
 * not convert ({@link InvalidValue}) as its raw source text (null when it has none). {@code invalid_columns} names the
 * columns that failed, in column order; it is present only when they are known (the VALIDATE stage always names them;
 * for other stages it lists the columns holding an {@link InvalidValue}, if any). Key: the table id as UTF-8, so that
 * one table's failures stay in order on one partition.
 */
public final class DeadLetters {
  /** Header naming the pipeline. */
  public static final String HEADER_PIPELINE = "tributary.pipeline";
  /** Header naming the table, {@code database.schema.table}. */
  public static final String HEADER_TABLE = "tributary.table";
  /** Header naming the failed {@link Stage}. */
  public static final String HEADER_STAGE = "tributary.stage";
  /** Header with the failure message. */
  public static final String HEADER_REASON = "tributary.reason";
  /** Value field listing the columns that failed (present only when known and non-empty). */
  public static final String INVALID_COLUMNS = "invalid_columns";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private DeadLetters() {}

  /**
   * A dead-letter record for a change that failed a stage; {@code invalid_columns} lists the columns of the change that
   * hold an {@link InvalidValue} (left out when none does).
   *
   * @param topic the dead-letter topic
   * @param pipeline the pipeline name
   * @param stage where the change failed
   * @param reason the failure message (UTF-8 header value)
   */
  public static KafkaOutput record(String topic, String pipeline, ChangeEvent e, Stage stage, String reason) {
    return record(topic, pipeline, e, stage, reason, invalidColumns(e));
  }

  /**
   * A dead-letter record for a change that failed a stage, naming the columns that failed.
   *
   * @param topic the dead-letter topic
   * @param pipeline the pipeline name
   * @param stage where the change failed
   * @param reason the failure message (UTF-8 header value)
   * @param invalidColumns the columns that failed, written as {@code invalid_columns} (left out when empty or null)
   */
  public static KafkaOutput record(
      String topic, String pipeline, ChangeEvent e, Stage stage, String reason, List<String> invalidColumns) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(HEADER_PIPELINE, pipeline);
    headers.put(HEADER_TABLE, e.tableId().toString());
    headers.put(HEADER_STAGE, stage.name());
    headers.put(HEADER_REASON, reason == null ? "" : reason);
    return new KafkaOutput(
        topic, e.tableId().toString().getBytes(StandardCharsets.UTF_8), toJson(e, invalidColumns), headers);
  }

  /**
   * Creates the dead-letter topic on a Kafka cluster unless it exists (a topic created concurrently counts as
   * existing). Runs on the client before the job starts.
   *
   * @param clientProperties Kafka client properties, {@code bootstrap.servers} included (producer-only keys are
   *     ignored)
   * @return whether this call created the topic
   * @throws KafkaSinkException if Kafka cannot be reached within 60 s or refuses to create the topic (naming it)
   */
  public static boolean createTopicIfMissing(
      Properties clientProperties, String topic, int partitions, short replicationFactor) {
    try (KafkaTopics admin = new KafkaTopics(clientProperties)) {
      return !admin.createMissing(List.of(topic), partitions, replicationFactor).isEmpty();
    }
  }

  /**
   * The raw change as JSON bytes (UTF-8), see the class comment.
   *
   * @throws KafkaSinkException if Jackson cannot write it (not expected for the value classes of ChangeEvent)
   */
  public static byte[] toJson(ChangeEvent e) {
    return toJson(e, invalidColumns(e));
  }

  /**
   * The raw change as JSON bytes (UTF-8) with {@code invalid_columns} (left out when empty or null).
   *
   * @throws KafkaSinkException if Jackson cannot write it (not expected for the value classes of ChangeEvent)
   */
  public static byte[] toJson(ChangeEvent e, List<String> invalidColumns) {
    ObjectNode root = JSON.createObjectNode();
    root.put("table", e.tableId().toString());
    root.put("op", e.op().code());
    root.put("ts_ms", e.tsMs());
    image(root, "before", e.before());
    image(root, "after", e.after());
    SourceInfo s = e.source();
    ObjectNode src = root.putObject("source");
    src.put("connector", s.connector());
    src.put("name", s.name());
    src.put("db", s.database());
    src.put("schema", s.schema());
    src.put("table", s.table());
    src.put("ts_ms", s.tsMs());
    src.put("snapshot", s.snapshot());
    src.put("lsn", s.lsn());
    src.put("txId", s.txId());
    src.put("file", s.binlogFile());
    src.put("pos", s.binlogPos());
    src.put("server_id", s.serverId());
    src.put("gtid", s.gtid());
    src.put("ordering", s.ordering());
    if (invalidColumns != null && !invalidColumns.isEmpty()) {
      ArrayNode cols = root.putArray(INVALID_COLUMNS);
      invalidColumns.forEach(cols::add);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException ex) {
      throw new KafkaSinkException("cannot write the change of table " + e.tableId() + " as JSON", ex);
    }
  }

  /** The columns holding an {@link InvalidValue} in the after image, then the before image, each once. */
  static List<String> invalidColumns(ChangeEvent e) {
    Set<String> out = new LinkedHashSet<>();
    collectInvalid(e.after(), out);
    collectInvalid(e.before(), out);
    return new ArrayList<>(out);
  }

  private static void collectInvalid(Map<String, Object> image, Set<String> out) {
    if (image != null) {
      image.forEach((k, v) -> {
        if (v instanceof InvalidValue) {
          out.add(k);
        }
      });
    }
  }

  private static void image(ObjectNode root, String field, Map<String, Object> image) {
    if (image == null) {
      root.putNull(field);
      return;
    }
    ObjectNode n = root.putObject(field);
    for (Map.Entry<String, Object> c : image.entrySet()) {
      Object v = c.getValue();
      if (v == null) {
        n.putNull(c.getKey());
      } else if (v instanceof InvalidValue) {
        // the raw source text, so that the record can be repaired and replayed; null when the source had none
        n.put(c.getKey(), ((InvalidValue) v).raw());
      } else if (v instanceof BigDecimal) {
        n.put(c.getKey(), ((BigDecimal) v).toPlainString());
      } else if (v instanceof byte[]) {
        n.put(c.getKey(), Base64.getEncoder().encodeToString((byte[]) v));
      } else if (v instanceof Boolean) {
        n.put(c.getKey(), (Boolean) v);
      } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
        n.put(c.getKey(), ((Number) v).intValue());
      } else if (v instanceof Long) {
        n.put(c.getKey(), (Long) v);
      } else if (v instanceof Float) {
        n.put(c.getKey(), (Float) v);
      } else if (v instanceof Double) {
        n.put(c.getKey(), (Double) v);
      } else {
        n.put(c.getKey(), v.toString());
      }
    }
  }
}
