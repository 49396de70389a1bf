package io.tributary.runtime.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JDBC, Avro and Spark representations of one value render the same; comparisons count what differs. */
class CanonicalAndComparisonTest {
  private static Column col(ColumnKind k) {
    return k == ColumnKind.DECIMAL ? new Column("c", k, true, 10, 2, "numeric(10,2)") : Column.of("c", k, true, "t");
  }

  @Test
  void representationsOfOneValueAgree() {
    assertThat(Canonical.value(col(ColumnKind.DECIMAL), new BigDecimal("12.5")))
        .isEqualTo(Canonical.value(col(ColumnKind.DECIMAL), "12.50")).isEqualTo("12.50");
    assertThat(Canonical.value(col(ColumnKind.DATE), LocalDate.of(2024, 2, 29)))
        .isEqualTo(Canonical.value(col(ColumnKind.DATE), (int) LocalDate.of(2024, 2, 29).toEpochDay()))
        .isEqualTo(Canonical.value(col(ColumnKind.DATE), "2024-02-29"));
    long micros = LocalDateTime.of(2024, 3, 1, 10, 0, 0, 123_456_000).toEpochSecond(ZoneOffset.UTC) * 1_000_000 + 123_456;
    assertThat(Canonical.value(col(ColumnKind.TIMESTAMP_MICROS), LocalDateTime.of(2024, 3, 1, 10, 0, 0, 123_456_000)))
        .isEqualTo(Canonical.value(col(ColumnKind.TIMESTAMP_MICROS), micros))
        .isEqualTo(Canonical.value(col(ColumnKind.TIMESTAMP_MICROS), "2024-03-01 10:00:00.123456"));
    assertThat(Canonical.value(col(ColumnKind.TIMESTAMP_TZ_MICROS), OffsetDateTime.of(2024, 1, 1, 1, 0, 0, 0, ZoneOffset.ofHours(1))))
        .isEqualTo(Canonical.value(col(ColumnKind.TIMESTAMP_TZ_MICROS), "2024-01-01T00:00:00Z"))
        .isEqualTo(Long.toString(OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond() * 1_000_000));
    assertThat(Canonical.value(col(ColumnKind.TIME_MICROS), LocalTime.of(12, 30)))
        .isEqualTo(Canonical.value(col(ColumnKind.TIME_MICROS), (12 * 3600 + 30 * 60) * 1_000_000L));
    assertThat(Canonical.value(col(ColumnKind.BYTES), new byte[] {1, (byte) 0xff}))
        .isEqualTo(Canonical.value(col(ColumnKind.BYTES), ByteBuffer.wrap(new byte[] {1, (byte) 0xff})))
        .isEqualTo(Canonical.value(col(ColumnKind.BYTES), "Af8="))
        .isEqualTo("01ff");
    assertThat(Canonical.value(col(ColumnKind.JSON), "{\"a\": 1, \"b\": [1, 2]}")).isEqualTo("{\"a\":1,\"b\":[1,2]}");
    assertThat(Canonical.value(col(ColumnKind.INT64), 7)).isEqualTo(Canonical.value(col(ColumnKind.INT64), "7"));
    assertThat(Canonical.value(col(ColumnKind.STRING), null)).isNull();
  }

  @Test
  void comparisonCountsMissingExtraAndDifferingRows() {
    TableSchema t = new TableSchema(new TableId("db", "public", "t"),
        List.of(Column.of("id", ColumnKind.INT64, false, "bigint"), Column.of("v", ColumnKind.STRING, true, "text")),
        List.of("id"));
    TableRows source = new TableRows(t, "source");
    TableRows sink = new TableRows(t, "kafka-0");
    for (long i = 1; i <= 5; i++) {
      source.put(row(i, "v" + i));
    }
    sink.put(row(1, "v1"));
    sink.put(row(2, "changed"));
    sink.put(row(3, "v3"));
    sink.put(row(9, "extra"));
    sink.put(row(4, "v4"));
    sink.remove(row(4, null));
    TableComparison c = TableComparison.compare(source, sink);
    assertThat(c.missing()).isEqualTo(2); // 4 (removed) and 5
    assertThat(c.extra()).isEqualTo(1);
    assertThat(c.differing()).isEqualTo(1);
    assertThat(c.matches()).isFalse();
    assertThat(c.examples()).contains("extra key 9", "missing key 5")
        .anySatisfy(e -> assertThat(e).contains("key 2 column v"));
    assertThat(TableComparison.compare(source, source).matches()).isTrue();
  }

  private static Map<String, Object> row(long id, String v) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", id);
    m.put("v", v);
    return m;
  }
}
