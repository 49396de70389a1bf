package io.tributary.schema.avro;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A table with one column of every kind (NOT NULL and nullable), and sample rows. */
final class TestTables {
  static final TableId ID = new TableId("shop", "public", "all_kinds");
  static final String NS = AvroSchemas.namespace("tributary", ID);

  private TestTables() {}

  static TableSchema allKinds() {
    List<Column> cols = new ArrayList<>();
    cols.add(Column.of("id", ColumnKind.INT64, false, "bigint"));
    cols.add(Column.of("region", ColumnKind.STRING, false, "text"));
    for (ColumnKind k : ColumnKind.values()) {
      String base = k.name().toLowerCase();
      cols.add(column(base + "_nn", k, false));
      cols.add(column(base + "_n", k, true));
    }
    return new TableSchema(ID, cols, List.of("id", "region"));
  }

  static Column column(String name, ColumnKind k, boolean nullable) {
    return k == ColumnKind.DECIMAL
        ? new Column(name, k, nullable, 12, 3, "numeric(12,3)")
        : Column.of(name, k, nullable, k.name().toLowerCase());
  }

  /** A full row: every NOT NULL column set; nullable columns set when {@code withNullables}, else null. */
  static Map<String, Object> row(long id, boolean withNullables) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("region", "eu-" + id);
    for (ColumnKind k : ColumnKind.values()) {
      String base = k.name().toLowerCase();
      m.put(base + "_nn", sample(k, id));
      m.put(base + "_n", withNullables ? sample(k, id + 1) : null);
    }
    return m;
  }

  static Object sample(ColumnKind k, long i) {
    switch (k) {
      case BOOLEAN:
        return i % 2 == 0;
      case INT32:
        return (int) (-1000 - i);
      case INT64:
        return Long.MAX_VALUE - i;
      case FLOAT32:
        return 1.5f + i;
      case FLOAT64:
        return -2.25d * i;
      case DECIMAL:
        return new BigDecimal("-123456789.123").add(BigDecimal.valueOf(i)).setScale(3);
      case STRING:
        return "héllo ✓ " + i;
      case UUID:
        return "123e4567-e89b-12d3-a456-42661417400" + (i % 10);
      case JSON:
        return "{\"a\": " + i + "}";
      case BYTES:
        return new byte[] {0, (byte) 0xff, (byte) i};
      case DATE:
        return 19_000 + (int) i;
      case TIME_MICROS:
        return 86_399_999_999L - i;
      case TIMESTAMP_MICROS:
        return 1_700_000_000_000_000L + i;
      case TIMESTAMP_TZ_MICROS:
        return -1_000_000L - i;
      default:
        throw new IllegalArgumentException(k.name());
    }
  }

  static SourceInfo source(long lsn, boolean snapshot) {
    return SourceInfo.builder()
        .connector("postgresql")
        .name("shop-orders")
        .table(ID)
        .tsMs(1_700_000_000_123L)
        .snapshot(snapshot)
        .lsn(lsn)
        .txId(777L)
        .ordering(lsn)
        .build();
  }
}
