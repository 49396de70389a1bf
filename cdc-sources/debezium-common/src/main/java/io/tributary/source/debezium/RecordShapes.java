package io.tributary.source.debezium;

import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Field;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;

/**
 * The struct fields of a table's columns per record shape. Debezium builds one Connect value schema instance per
 * table shape, so the fields are looked up, and the shape checked against the table's schema (a source calls
 * {@link io.tributary.config.spi.SchemaDrift#check} from its {@link ShapeCheck}), once per shape instead of once per
 * record. The cache is keyed by schema identity and cleared when it reaches {@link #MAX_SHAPES} entries.
 *
 * <p>Not thread-safe; one instance per deserializer instance (kept in a transient field, created on first use).
 */
public final class RecordShapes {
  /** How many shapes are cached before the cache starts over. */
  public static final int MAX_SHAPES = 1024;

  /** Called once per record shape not seen before, before its fields are cached. */
  @FunctionalInterface
  public interface ShapeCheck {
    /**
     * Checks a new record shape against the table's schema.
     *
     * @param table the schema the pipeline runs with
     * @param struct a row image ({@code before} or {@code after}) of the new shape
     * @throws RuntimeException to refuse the shape (for example SchemaDrift's stop); the shape is then not cached
     */
    void check(TableSchema table, Struct struct);
  }

  private final ShapeCheck check;
  private final IdentityHashMap<Schema, Field[]> cache = new IdentityHashMap<>();

  /** @param check called once per new shape; must not be null */
  public RecordShapes(ShapeCheck check) {
    this.check = check;
  }

  /**
   * The fields of {@code struct}'s schema that hold {@code table}'s columns, in column order, null where the struct
   * lacks a column.
   *
   * @param table the table the record belongs to
   * @param struct a row image of the record, not null
   * @throws RuntimeException whatever the {@link ShapeCheck} throws for a new shape
   */
  public Field[] fields(TableSchema table, Struct struct) {
    Field[] fields = cache.get(struct.schema());
    if (fields == null) {
      check.check(table, struct);
      List<Column> columns = table.columns();
      fields = new Field[columns.size()];
      for (int i = 0; i < fields.length; i++) {
        fields[i] = struct.schema().field(columns.get(i).name());
      }
      if (cache.size() >= MAX_SHAPES) {
        cache.clear();
      }
      cache.put(struct.schema(), fields);
    }
    return fields;
  }

  /**
   * The struct's columns in record order, each mapped to its {@link #describe description}: the
   * {@code recordColumns} argument of {@link io.tributary.config.spi.SchemaDrift#check}.
   */
  public static Map<String, String> recordColumns(Struct struct) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Field f : struct.schema().fields()) {
      out.put(f.name(), describe(f.schema()));
    }
    return out;
  }

  /**
   * A short description of a Connect field type for schema change messages: {@code DECIMAL(scale N)} for Connect's
   * Decimal, else the Connect type and the last part of the schema name, if any (for example {@code INT32},
   * {@code INT64 MicroTimestamp}, {@code STRING ZonedTimestamp}).
   */
  public static String describe(Schema s) {
    String name = s.name();
    if (name != null && name.endsWith(".Decimal") && s.parameters() != null) {
      return "DECIMAL(scale " + s.parameters().get("scale") + ")";
    }
    return s.type().name() + (name == null ? "" : " " + name.substring(name.lastIndexOf('.') + 1));
  }
}
