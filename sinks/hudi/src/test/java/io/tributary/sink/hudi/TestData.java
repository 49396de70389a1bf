package io.tributary.sink.hudi;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test table with a column of every kind, change events for it, and a model of the expected table contents in the
 * value shapes {@code HudiSparkReader} returns.
 */
final class TestData {
  static final TableId ORDERS = new TableId("shop", "public", "orders");

  static final TableSchema SCHEMA =
      new TableSchema(
          ORDERS,
          List.of(
              Column.of("id", ColumnKind.INT32, false, "int4"),
              Column.of("name", ColumnKind.STRING, true, "text"),
              new Column("price", ColumnKind.DECIMAL, true, 10, 2, "numeric(10,2)"),
              Column.of("qty", ColumnKind.INT64, false, "int8"),
              Column.of("score", ColumnKind.FLOAT64, true, "float8"),
              Column.of("ratio", ColumnKind.FLOAT32, true, "float4"),
              Column.of("flag", ColumnKind.BOOLEAN, false, "bool"),
              Column.of("day", ColumnKind.DATE, true, "date"),
              Column.of("at", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamptz"),
              Column.of("local_at", ColumnKind.TIMESTAMP_MICROS, true, "timestamp"),
              Column.of("tod", ColumnKind.TIME_MICROS, true, "time"),
              Column.of("ref", ColumnKind.UUID, true, "uuid"),
              Column.of("doc", ColumnKind.JSON, true, "jsonb"),
              Column.of("raw", ColumnKind.BYTES, true, "bytea"),
              Column.of("region", ColumnKind.STRING, false, "text")),
          List.of("id"));

  private TestData() {}

  /** The after-image of row {@code id} at {@code version}: every column set from both numbers. */
  static Map<String, Object> image(int id, int version) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("name", version % 7 == 3 ? null : "n" + id + "-v" + version + (id % 3 == 0 ? " \"q\"\t" : ""));
    m.put("price", new BigDecimal(id * 100 + version).movePointLeft(2));
    m.put("qty", (long) id * 1_000_000_000L + version);
    m.put("score", id + version / 4.0);
    m.put("ratio", (float) (version + 0.5));
    m.put("flag", (id + version) % 2 == 0);
    m.put("day", 19_000 + id + version);
    m.put("at", 1_700_000_000_000_000L + id * 1_000_000L + version);
    m.put("local_at", 1_600_000_000_000_000L + id * 1_000L + version);
    m.put("tod", 3_600_000_000L + version);
    m.put("ref", String.format("00000000-0000-0000-0000-%012d", id * 1000 + version));
    m.put("doc", "{\"v\":" + version + "}");
    m.put("raw", ("r" + id + version).getBytes(StandardCharsets.UTF_8));
    m.put("region", id % 2 == 0 ? "even" : "odd");
    return m;
  }

  static SourceInfo source(long ordering) {
    return SourceInfo.builder().connector("postgresql").name("test").table(ORDERS).ordering(ordering).lsn(ordering)
        .tsMs(ordering).build();
  }

  static ChangeEvent insert(int id, int version, long ordering) {
    return ChangeEvent.insert(ORDERS, image(id, version), source(ordering), 1_000 + ordering);
  }

  static ChangeEvent update(int id, int version, long ordering) {
    return ChangeEvent.update(ORDERS, null, image(id, version), source(ordering), 1_000 + ordering);
  }

  /** A delete whose before-image holds only the key, as PostgreSQL sends without REPLICA IDENTITY FULL. */
  static ChangeEvent delete(int id, long ordering) {
    return ChangeEvent.delete(ORDERS, Map.of("id", id), source(ordering), 1_000 + ordering);
  }

  /**
   * The expected table contents: applies events in order the way the sink must (per key, the change with the
   * higher ordering wins; a delete removes the key but its ordering still outranks later, lower changes).
   */
  static final class Model {
    private final Map<Integer, ChangeEvent> latest = new TreeMap<>();

    void apply(ChangeEvent e) {
      int id = (Integer) e.keyImage().get("id");
      ChangeEvent old = latest.get(id);
      if (old == null || e.source().ordering() >= old.source().ordering()) {
        latest.put(id, e);
      }
    }

    void applyAll(List<ChangeEvent> events) {
      events.forEach(this::apply);
    }

    /** Rows as HudiSparkReader returns them, sorted by record key (ids compared as strings, Hudi's key order). */
    List<Map<String, Object>> rows() {
      TreeMap<String, Map<String, Object>> sorted = new TreeMap<>();
      for (Map.Entry<Integer, ChangeEvent> en : latest.entrySet()) {
        ChangeEvent e = en.getValue();
        if (e.op() == io.tributary.schema.Op.DELETE) {
          continue;
        }
        sorted.put(String.valueOf(en.getKey()), expected(e));
      }
      return new ArrayList<>(sorted.values());
    }
  }

  /** One expected row in HudiSparkReader's value shapes, metadata columns included. */
  static Map<String, Object> expected(ChangeEvent e) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> c : e.after().entrySet()) {
      out.put(c.getKey(), shape(c.getValue()));
    }
    out.put(HudiRows.OP_FIELD, e.op().code());
    out.put(HudiRows.TS_MS_FIELD, e.tsMs());
    out.put(HudiRows.ORDERING_FIELD, e.source().ordering());
    return out;
  }

  private static Object shape(Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Double) {
      return v;
    }
    if (v instanceof Float) {
      return ((Float) v).doubleValue();
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal) {
      return ((BigDecimal) v).toPlainString();
    }
    if (v instanceof byte[]) {
      return Base64.getEncoder().encodeToString((byte[]) v);
    }
    throw new IllegalArgumentException("no expected shape for " + v.getClass());
  }

  /** The Hudi table name of the test table. */
  static String tableName() {
    return "orders";
  }
}
