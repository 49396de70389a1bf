package io.tributary.sink.hudi;

/**
 * One converted change waiting in Flink state for the next checkpoint: the Hudi key, the ordering value and the row
 * as Avro binary (schema from {@link HudiRows#schema}). A Flink POJO (public fields, no-argument constructor), so
 * Flink serializes it without Kryo.
 */
public final class BufferedRow {
  /** Hudi record key, as the table's key generator renders the primary key. */
  public String recordKey;
  /** Hudi partition path; empty for non-partitioned tables. */
  public String partitionPath;
  /** The ordering value ({@link HudiRows#ORDERING_FIELD}). */
  public long ordering;
  /** Whether the change is a delete. */
  public boolean delete;
  /** The row, Avro binary encoding of the table's Hudi schema. */
  public byte[] avro;
  /**
   * The Avro parsing fingerprint (CRC-64-AVRO, Avro specification "Schema Fingerprints") of the schema {@link #avro}
   * was written with; 0 for rows buffered before this field existed (read with the current schema). A row buffered
   * before a schema change is read with its own schema and resolved to the new one.
   */
  public long schemaFingerprint;

  /** For Flink's POJO serializer. */
  public BufferedRow() {}

  /**
   * @param recordKey see {@link #recordKey}
   * @param partitionPath see {@link #partitionPath}
   * @param ordering see {@link #ordering}
   * @param delete see {@link #delete}
   * @param avro see {@link #avro}
   */
  public BufferedRow(String recordKey, String partitionPath, long ordering, boolean delete, byte[] avro) {
    this.recordKey = recordKey;
    this.partitionPath = partitionPath;
    this.ordering = ordering;
    this.delete = delete;
    this.avro = avro;
  }

  /**
   * @param schemaFingerprint see {@link #schemaFingerprint}
   */
  public BufferedRow(
      String recordKey, String partitionPath, long ordering, boolean delete, byte[] avro, long schemaFingerprint) {
    this(recordKey, partitionPath, ordering, delete, avro);
    this.schemaFingerprint = schemaFingerprint;
  }
}
