package io.tributary.config;

/** The stage of the data path where a record failed; written in dead-letter headers and error messages. */
public enum Stage {
  /** Reading from the source (deserializing a change log entry). */
  READ,
  /** Converting a source record into a {@code ChangeEvent}. */
  CONVERT,
  /** Checking a change event against its table's schema. */
  VALIDATE,
  /** Serializing for a sink (Avro, Confluent wire format). */
  SERIALIZE,
  /** Writing to a sink (Kafka produce, Hudi write). */
  WRITE
}
