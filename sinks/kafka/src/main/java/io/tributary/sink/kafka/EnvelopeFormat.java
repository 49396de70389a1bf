package io.tributary.sink.kafka;

/** The shape of the Kafka message value, chosen by the sink option {@code envelope}. */
public enum EnvelopeFormat {
  /**
   * The Debezium change envelope: {@code before}, {@code after}, {@code source}, {@code op}, {@code ts_ms}
   * (Debezium connector documentation, "Change event values"). A delete is written as an envelope with
   * {@code op=d}, followed by a tombstone when {@code tombstones.on.delete} is true.
   */
  DEBEZIUM,
  /**
   * The flattened after-image only (the row record), as Debezium's {@code ExtractNewRecordState} transform gives
   * with {@code delete.handling.mode=none}. A delete is written as a tombstone only (a null value), whatever
   * {@code tombstones.on.delete} says.
   */
  ROW
}
