package io.tributary.runtime.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.InvalidValue;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChangeCheckerTest {
  static final TableId ORDERS = new TableId("shop", "public", "orders");
  static final TableSchema SCHEMA =
      new TableSchema(
          ORDERS,
          List.of(
              Column.of("id", ColumnKind.INT64, false, "bigint"),
              Column.of("customer", ColumnKind.STRING, false, "text"),
              new Column("amount", ColumnKind.DECIMAL, true, 10, 2, "numeric(10,2)"),
              Column.of("ratio", ColumnKind.FLOAT64, true, "double precision"),
              Column.of("qty", ColumnKind.INT32, true, "integer"),
              Column.of("at", ColumnKind.TIME_MICROS, true, "time"),
              Column.of("day", ColumnKind.DATE, true, "date"),
              Column.of("ts", ColumnKind.TIMESTAMP_TZ_MICROS, true, "timestamptz"),
              Column.of("ext", ColumnKind.UUID, true, "uuid"),
              Column.of("data", ColumnKind.BYTES, true, "bytea"),
              Column.of("flag", ColumnKind.BOOLEAN, true, "boolean"),
              Column.of("small", ColumnKind.FLOAT32, true, "real"),
              Column.of("doc", ColumnKind.JSON, true, "jsonb")),
          List.of("id"));
  static final SourceInfo SOURCE =
      SourceInfo.builder().connector("postgresql").name("p").table(ORDERS).lsn(10L).ordering(10L).build();

  private final ChangeChecker checker = new ChangeChecker(List.of(SCHEMA));

  static Map<String, Object> row(long id) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("customer", "eve");
    m.put("amount", new BigDecimal("12.50"));
    m.put("ratio", 0.5d);
    m.put("qty", 3);
    m.put("at", 3_600_000_000L);
    m.put("day", 19_000);
    m.put("ts", 1_700_000_000_000_000L);
    m.put("ext", "6f1c2a3b-0000-4000-8000-000000000001");
    m.put("data", new byte[] {1, 2});
    m.put("flag", true);
    m.put("small", 1.5f);
    m.put("doc", "{\"a\":1}");
    return m;
  }

  static ChangeEvent insert(Map<String, Object> after) {
    return ChangeEvent.insert(ORDERS, after, SOURCE, 1L);
  }

  @Test
  void validChangesOfEveryOpPass() {
    assertThat(checker.check(ChangeEvent.read(ORDERS, row(1), SOURCE, 1L))).isNull();
    assertThat(checker.check(insert(row(1)))).isNull();
    assertThat(checker.check(ChangeEvent.update(ORDERS, row(1), row(1), SOURCE, 1L))).isNull();
    assertThat(checker.check(ChangeEvent.update(ORDERS, null, row(1), SOURCE, 1L))).isNull();
    assertThat(checker.check(ChangeEvent.delete(ORDERS, row(1), SOURCE, 1L))).isNull();
  }

  @Test
  void nullsInNullableColumnsAndAcceptedWideningsPass() {
    Map<String, Object> r = row(2);
    r.put("amount", null);
    r.put("ratio", Float.NaN); // Avro doubles hold NaN; Float widens to double
    r.put("small", Float.POSITIVE_INFINITY);
    r.put("qty", (short) 4);
    r.put("ts", 5);
    r.put("ext", UUID.randomUUID());
    r.put("data", ByteBuffer.wrap(new byte[] {3}));
    r.put("at", ChangeChecker.MICROS_PER_DAY); // PostgreSQL's 24:00:00
    assertThat(checker.check(insert(r))).isNull();
    Map<String, Object> integral = row(3);
    integral.put("amount", 42L);
    assertThat(checker.check(insert(integral))).isNull();
    integral.put("amount", BigInteger.valueOf(99_999_999L));
    assertThat(checker.check(insert(integral))).isNull();
    integral.put("amount", new BigDecimal("1.5")); // scale 1 widens to 2 without rounding
    assertThat(checker.check(insert(integral))).isNull();
  }

  @Test
  void invalidValueFromTheSourceIsReportedWithItsReason() {
    Map<String, Object> r = row(4);
    r.put("amount", new InvalidValue("column amount (numeric(10,2)): NaN is not a decimal", "NaN"));
    List<Violation> v = checker.check(insert(r));
    assertThat(v).containsExactly(
        new Violation("after", "amount", "column amount (numeric(10,2)): NaN is not a decimal"));
    assertThat(v.get(0).toString())
        .isEqualTo("column amount (after): column amount (numeric(10,2)): NaN is not a decimal");
  }

  @Test
  void invalidValueInABeforeImageIsReportedToo() {
    Map<String, Object> before = row(4);
    before.put("day", new InvalidValue("column day (date): zero date 0000-00-00", "0000-00-00"));
    assertThat(checker.check(ChangeEvent.update(ORDERS, before, row(4), SOURCE, 1L)))
        .extracting(Violation::image, Violation::column)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("before", "day"));
  }

  @Test
  void nanAndInfinityAreNotDecimals() {
    Map<String, Object> r = row(5);
    r.put("amount", Double.NaN);
    List<Violation> v = checker.check(insert(r));
    assertThat(v).hasSize(1);
    assertThat(v.get(0).column()).isEqualTo("amount");
    assertThat(v.get(0).reason()).startsWith("NaN is not a decimal number: a numeric(10,2) column maps to Avro "
        + "decimal(10,2)");
    r.put("amount", Float.NEGATIVE_INFINITY);
    assertThat(checker.check(insert(r)).get(0).reason()).startsWith("-Infinity is not a decimal number");
  }

  @Test
  void decimalsThatDoNotFitTheirColumnAreReportedWithoutTheValue() {
    Map<String, Object> r = row(6);
    r.put("amount", new BigDecimal("1.005"));
    assertThat(checker.check(insert(r)).get(0).reason())
        .isEqualTo("the value has more than 2 digits after the point, so numeric(10,2) (Avro decimal(10,2)) cannot"
            + " hold it without rounding");
    r.put("amount", new BigDecimal("123456789.00"));
    String reason = checker.check(insert(r)).get(0).reason();
    assertThat(reason).isEqualTo("the value needs 11 digits, but numeric(10,2) (Avro decimal(10,2)) holds at most 10");
    assertThat(reason).doesNotContain("123456789");
  }

  @Test
  void nullInANotNullColumnAndMissingAndExtraColumnsInTheAfterImage() {
    Map<String, Object> r = row(7);
    r.put("customer", null);
    r.remove("qty");
    r.put("added_later", "x");
    List<Violation> v = checker.check(insert(r));
    assertThat(v).extracting(Violation::column).containsExactly("customer", "qty", "added_later");
    assertThat(v.get(0).reason()).startsWith("null in a NOT NULL column (text)");
    assertThat(v.get(1).reason()).startsWith("the column is missing from the row image");
    assertThat(v.get(2).reason()).startsWith("the row image has a column the table did not have");
  }

  @Test
  void wrongClassesAreReportedByClassName() {
    Map<String, Object> r = row(8);
    r.put("qty", 3L);
    r.put("flag", "true");
    r.put("small", 1.5d);
    List<Violation> v = checker.check(insert(r));
    assertThat(v).extracting(Violation::column).containsExactly("qty", "flag", "small");
    assertThat(v.get(0).reason())
        .isEqualTo("a INT32 column (integer) takes an Integer, but the source gave a java.lang.Long");
  }

  @Test
  void timeOutsideADayIsReported() {
    Map<String, Object> r = row(9);
    r.put("at", -1L);
    assertThat(checker.check(insert(r)).get(0).reason()).contains("the value is negative");
    r.put("at", ChangeChecker.MICROS_PER_DAY + 1);
    assertThat(checker.check(insert(r)).get(0).reason()).contains("beyond 24:00");
  }

  @Test
  void beforeImagesAreLenientExceptForTheKeyOfADelete() {
    Map<String, Object> keyOnly = new LinkedHashMap<>();
    keyOnly.put("id", 10L);
    keyOnly.put("customer", null); // REPLICA IDENTITY DEFAULT: only the key
    assertThat(checker.check(ChangeEvent.delete(ORDERS, keyOnly, SOURCE, 1L))).isNull();
    assertThat(checker.check(ChangeEvent.update(ORDERS, keyOnly, row(10), SOURCE, 1L))).isNull();

    Map<String, Object> noKey = new LinkedHashMap<>();
    noKey.put("id", null);
    List<Violation> v = checker.check(ChangeEvent.delete(ORDERS, noKey, SOURCE, 1L));
    assertThat(v).extracting(Violation::image, Violation::column)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("before", "id"));
    assertThat(v.get(0).reason()).startsWith("the primary key column is null in the before-image of a delete");
    assertThat(checker.check(ChangeEvent.delete(ORDERS, new LinkedHashMap<>(), SOURCE, 1L)).get(0).reason())
        .startsWith("the primary key column is missing");
  }

  @Test
  void changesOfUnknownTablesFail() {
    TableId other = new TableId("shop", "public", "other");
    List<Violation> v = checker.check(ChangeEvent.insert(other, row(1), SOURCE, 1L));
    assertThat(v).containsExactly(
        new Violation(null, null, "table shop.public.other is not among the pipeline's tables"));
    // and the known table still resolves after the switch (identity cache)
    assertThat(checker.check(insert(row(1)))).isNull();
    assertThat(checker.check(ChangeEvent.insert(new TableId("shop", "public", "orders"), row(1), SOURCE, 1L))).isNull();
  }

  @Test
  void keyTextShowsOnlyKeyValues() {
    Map<String, Object> r = row(11);
    assertThat(checker.keyText(insert(r))).isEqualTo("{id=11}");
    r.put("id", new InvalidValue("bad key", "x11"));
    assertThat(checker.keyText(insert(r))).isEqualTo("{id=x11}");
    TableSchema noPk = new TableSchema(ORDERS, List.of(Column.of("id", ColumnKind.INT64, false, "bigint")), List.of());
    assertThat(new ChangeChecker(List.of(noPk)).keyText(insert(row(1)))).isEqualTo("{}");
  }

  @Test
  void checkerSurvivesJavaSerialization() throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    checker.check(insert(row(1)));
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(checker);
    }
    ChangeChecker copy;
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ChangeChecker) in.readObject();
    }
    Map<String, Object> r = row(12);
    r.put("customer", null);
    assertThat(copy.check(insert(row(12)))).isNull();
    assertThat(copy.check(insert(r))).extracting(Violation::column).containsExactly("customer");
  }
}
