package io.tributary.sink.hudi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Op;
import io.tributary.schema.TableSchema;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hudi.common.model.HoodieKey;
import org.apache.hudi.keygen.KeyGenerator;

/**
 * Turns the change events of one table into {@link BufferedRow}s: the Hudi row ({@link HudiRows#row}) as Avro
 * binary, with the record key and partition path that the table's Hudi key generator renders from it (so that keys
 * match what Hudi's own writers, Spark included, would produce). Not thread-safe.
 */
final class HudiRowEncoder {
  private final TableSchema table;
  private final Schema schema;
  private final KeyGenerator keyGenerator;
  private final GenericDatumWriter<GenericRecord> writer;
  private final long fingerprint;

  HudiRowEncoder(HudiSinkConfig config, TableSchema table) {
    this.table = table;
    this.schema = HudiRows.schema(table, config.tableName(table.tableId()));
    this.keyGenerator = HudiTableWriter.keyGenerator(config, table);
    this.writer = new GenericDatumWriter<>(schema);
    this.fingerprint = org.apache.avro.SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The parsing fingerprint of {@link #schema()}, written into every row (see {@link BufferedRow#schemaFingerprint}). */
  long fingerprint() {
    return fingerprint;
  }

  /** The table's Hudi schema. */
  Schema schema() {
    return schema;
  }

  /**
   * Converts one event.
   *
   * @throws IllegalArgumentException if a value does not suit its column (see {@link HudiRows#row}) or a primary
   *     key column is null
   */
  BufferedRow encode(ChangeEvent e) {
    GenericRecord row = HudiRows.row(schema, table, e);
    HoodieKey key;
    try {
      key = keyGenerator.getKey(row);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException(
          "table " + e.tableId() + ": cannot build the Hudi record key from " + table.primaryKey() + ": "
              + ex.getMessage(), ex);
    }
    return new BufferedRow(
        key.getRecordKey(),
        key.getPartitionPath(),
        e.source().ordering(),
        e.op() == Op.DELETE,
        HudiTableWriter.encode(writer, row),
        fingerprint);
  }
}
