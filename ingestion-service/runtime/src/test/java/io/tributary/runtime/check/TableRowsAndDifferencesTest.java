package io.tributary.runtime.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Filtered rows, key values and differences over a subset of keys. */
class TableRowsAndDifferencesTest {
  private static final TableSchema T = new TableSchema(new TableId("db", "public", "t"),
      List.of(Column.of("day", ColumnKind.TIMESTAMP_MICROS, false, "timestamp"),
          Column.of("n", ColumnKind.INT32, false, "integer"), Column.of("v", ColumnKind.STRING, true, "text")),
      List.of("day", "n"));

  private static Map<String, Object> row(int day, int n, String v) {
    Map<String, Object> m = new HashMap<>();
    m.put("day", LocalDateTime.of(2024, 1, day, 0, 0));
    m.put("n", n);
    m.put("v", v);
    return m;
  }

  @Test
  void aFilteredInstanceKeepsOnlyItsKeys() {
    TableRows all = new TableRows(T, "source");
    all.put(row(1, 1, "a"));
    String key = all.keyOf(row(1, 1, null));
    TableRows filtered = new TableRows(T, "kafka-0", Set.of(key));
    filtered.put(row(1, 1, "a"));
    filtered.put(row(2, 1, "b"));
    assertThat(filtered.rows()).containsOnlyKeys(key);
  }

  @Test
  void keyValuesRebuildTheKey() {
    TableRows rows = new TableRows(T, "source");
    rows.put(row(3, 7, "x"));
    String key = rows.rows().keySet().iterator().next();
    Map<String, String> values = rows.keyValues(key);
    assertThat(values).containsOnlyKeys("day", "n").containsEntry("n", "7");
    assertThat(TableRows.keyOfValues(T, values)).isEqualTo(key);
    assertThat(rows.keyValues("nope")).isNull();
  }

  @Test
  void differencesOverSomeKeysIgnoreTheOthersAndKeysGoneFromBothSides() {
    TableRows source = new TableRows(T, "source");
    TableRows sink = new TableRows(T, "hudi-1");
    source.put(row(1, 1, "a"));
    source.put(row(2, 2, "b"));
    sink.put(row(2, 2, "B"));
    sink.put(row(3, 3, "c"));
    String k1 = source.keyOf(row(1, 1, null));
    String k2 = source.keyOf(row(2, 2, null));
    String k3 = source.keyOf(row(3, 3, null));
    String gone = source.keyOf(row(4, 4, null));
    var all = TableComparison.differences(source, sink, null);
    assertThat(all).containsOnlyKeys(k1, k2, k3);
    assertThat(all.get(k1).kind()).isEqualTo(TableComparison.Difference.Kind.MISSING);
    assertThat(all.get(k2).kind()).isEqualTo(TableComparison.Difference.Kind.DIFFERING);
    assertThat(all.get(k2).description()).contains("column v: source 'b', hudi-1 'B'");
    assertThat(all.get(k3).kind()).isEqualTo(TableComparison.Difference.Kind.EXTRA);
    assertThat(TableComparison.differences(source, sink, List.of(k2, gone))).containsOnlyKeys(k2);
    TableComparison c = TableComparison.of("t", "hudi-1", 2, 2, all.values());
    assertThat(c.missing() + c.extra() + c.differing()).isEqualTo(3);
    assertThat(c.examples()).hasSize(3);
  }
}
