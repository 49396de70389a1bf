package io.tributary.sink.kafka;

import io.tributary.schema.TableId;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where and how one table's changes are written, fixed by {@link KafkaPipelineSink#prepare} on the client: the
 * topic, the subjects, the registered schemas (as JSON, so that the job graph carries plain strings) and their
 * registry ids.
 *
 * @param tableId the source table
 * @param topic the rendered topic
 * @param keySubject {@code <topic>-key}
 * @param valueSubject {@code <topic>-value}
 * @param keySchema the key schema as JSON (Avro schema declaration)
 * @param valueSchema the value schema as JSON: the envelope or the row, per the sink's {@code envelope}
 * @param keySchemaId the registry id of {@code keySchema}
 * @param valueSchemaId the registry id of {@code valueSchema}
 */
public record TableTarget(
    TableId tableId,
    String topic,
    String keySubject,
    String valueSubject,
    String keySchema,
    String valueSchema,
    int keySchemaId,
    int valueSchemaId)
    implements Serializable {
  public TableTarget {
    Objects.requireNonNull(tableId, "tableId");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(keySchema, "keySchema");
    Objects.requireNonNull(valueSchema, "valueSchema");
  }
}
