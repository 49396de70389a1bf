package io.tributary.sink.kafka;

import io.tributary.config.Stage;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Op;
import io.tributary.schema.TableId;
import io.tributary.schema.avro.AvroRecords;
import io.tributary.schema.wire.ConfluentAvroSerializer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns one {@link ChangeEvent} into the Kafka records it stands for, in the Confluent wire format with the schema
 * ids fixed before the job started (no registry call here):
 *
 * <table>
 *   <caption>Records per change</caption>
 *   <tr><th>envelope</th><th>op c, r, u</th><th>op d</th></tr>
 *   <tr><td>debezium</td><td>key, envelope</td><td>key, envelope; then key, null (tombstone) when tombstones are
 *       on</td></tr>
 *   <tr><td>row</td><td>key, after-image</td><td>key, null (tombstone) only</td></tr>
 * </table>
 *
 * <p>Schemas are parsed once per table on first use and the {@link ConfluentAvroSerializer} is reused. Not
 * thread-safe: one instance per Flink subtask. Serializable (the parsed state is transient).
 */
public final class ChangeRecordSerializer implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String sinkName;
  private final EnvelopeFormat envelope;
  private final boolean tombstonesOnDelete;
  private final Map<TableId, TableTarget> targets;

  private transient Map<TableId, Prepared> prepared;
  private transient ConfluentAvroSerializer serializer;

  /**
   * @param sinkName the sink's name, for messages
   * @param envelope the value shape
   * @param tombstonesOnDelete whether a debezium-envelope delete is followed by a tombstone
   * @param targets one target per table
   */
  public ChangeRecordSerializer(
      String sinkName, EnvelopeFormat envelope, boolean tombstonesOnDelete, List<TableTarget> targets) {
    this.sinkName = sinkName;
    this.envelope = envelope;
    this.tombstonesOnDelete = tombstonesOnDelete;
    this.targets = new HashMap<>();
    for (TableTarget t : targets) {
      this.targets.put(t.tableId(), t);
    }
  }

  /**
   * The records for one change, in write order; all or nothing (nothing is returned when any part fails).
   *
   * @return one or two records (see the class comment)
   * @throws ChangeSerializationException at stage SERIALIZE when the table has no target or a value does not
   *     convert (for example a decimal that overflows its column); the message names the sink, the table, the
   *     column and the topic
   */
  public List<KafkaOutput> serialize(ChangeEvent e) {
    Prepared p = prepared(e.tableId());
    byte[] key;
    byte[] value;
    try {
      GenericRecord k = AvroRecords.key(p.keySchema, e);
      key = serializer.serialize(p.target.keySchemaId(), p.keySchema, k);
      if (envelope == EnvelopeFormat.ROW) {
        value =
            e.op() == Op.DELETE
                ? null
                : serializer.serialize(p.target.valueSchemaId(), p.valueSchema, AvroRecords.row(p.valueSchema, e.after()));
      } else {
        value =
            serializer.serialize(p.target.valueSchemaId(), p.valueSchema, AvroRecords.envelope(p.valueSchema, e));
      }
    } catch (IllegalArgumentException | org.apache.avro.AvroRuntimeException | ClassCastException ex) {
      throw new ChangeSerializationException(
          e.tableId(),
          "Stage " + Stage.SERIALIZE + " failed for table " + e.tableId() + " (sink " + sinkName + ", topic "
              + p.target.topic() + ", op " + e.op().code() + "): " + ex.getMessage(),
          ex);
    }
    List<KafkaOutput> out = new ArrayList<>(2);
    out.add(KafkaOutput.of(p.target.topic(), key, value));
    if (e.op() == Op.DELETE && envelope == EnvelopeFormat.DEBEZIUM && tombstonesOnDelete) {
      out.add(KafkaOutput.of(p.target.topic(), key, null));
    }
    return out;
  }

  /** The target of a table, or null when the sink was not prepared for it. */
  public TableTarget target(TableId table) {
    return targets.get(table);
  }

  private Prepared prepared(TableId table) {
    if (prepared == null) {
      prepared = new HashMap<>();
      serializer = new ConfluentAvroSerializer();
    }
    Prepared p = prepared.get(table);
    if (p == null) {
      TableTarget t = targets.get(table);
      if (t == null) {
        throw new ChangeSerializationException(
            table,
            "Stage " + Stage.SERIALIZE + " failed for table " + table + " (sink " + sinkName + "): the table"
                + " was not prepared (no topic or schema for it); the sink knows " + targets.keySet(),
            null);
      }
      p = new Prepared(t, new Schema.Parser().parse(t.keySchema()), new Schema.Parser().parse(t.valueSchema()));
      prepared.put(table, p);
    }
    return p;
  }

  private static final class Prepared {
    final TableTarget target;
    final Schema keySchema;
    final Schema valueSchema;

    Prepared(TableTarget target, Schema keySchema, Schema valueSchema) {
      this.target = target;
      this.keySchema = keySchema;
      this.valueSchema = valueSchema;
    }
  }
}
