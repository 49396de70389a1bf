package io.tributary.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresTypeMappingTest {

  /** The type modifier PostgreSQL stores for numeric(p,s). */
  static int numericTypmod(int precision, int scale) {
    return ((precision << 16) | (scale & 0x7ff)) + 4;
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
    "int2, smallint, INT32",
    "int4, integer, INT32",
    "int8, bigint, INT64",
    "float4, real, FLOAT32",
    "float8, double precision, FLOAT64",
    "bool, boolean, BOOLEAN",
    "text, text, STRING",
    "varchar, character varying(20), STRING",
    "bpchar, character(3), STRING",
    "date, date, DATE",
    "time, time without time zone, TIME_MICROS",
    "time, time(3) without time zone, TIME_MICROS",
    "timestamp, timestamp without time zone, TIMESTAMP_MICROS",
    "timestamp, timestamp(3) without time zone, TIMESTAMP_MICROS",
    "timestamptz, timestamp with time zone, TIMESTAMP_TZ_MICROS",
    "uuid, uuid, UUID",
    "json, json, JSON",
    "jsonb, jsonb, JSON",
    "bytea, bytea, BYTES"
  })
  void mapsSupportedTypes(String typeName, String display, ColumnKind kind) throws Exception {
    Column c = PostgresTypeMapping.map("c", typeName, -1, true, display);
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.name()).isEqualTo("c");
    assertThat(c.nullable()).isTrue();
    assertThat(c.sourceType()).isEqualTo(display);
    assertThat(c.precision()).isZero();
    assertThat(c.scale()).isZero();
    assertThat(PostgresTypeMapping.isMapped(typeName)).isTrue();
  }

  @Test
  void keepsNotNull() throws Exception {
    assertThat(PostgresTypeMapping.map("id", "int8", -1, false, "bigint").nullable()).isFalse();
  }

  @Test
  void mapsNumericWithPrecisionAndScale() throws Exception {
    Column c = PostgresTypeMapping.map("price", "numeric", numericTypmod(10, 2), false, "numeric(10,2)");
    assertThat(c.kind()).isEqualTo(ColumnKind.DECIMAL);
    assertThat(c.precision()).isEqualTo(10);
    assertThat(c.scale()).isEqualTo(2);

    Column integral = PostgresTypeMapping.map("n", "numeric", numericTypmod(38, 0), true, "numeric(38,0)");
    assertThat(integral.precision()).isEqualTo(38);
    assertThat(integral.scale()).isZero();

    Column big = PostgresTypeMapping.map("n", "numeric", numericTypmod(1000, 1000), true, "numeric(1000,1000)");
    assertThat(big.precision()).isEqualTo(1000);
    assertThat(big.scale()).isEqualTo(1000);
  }

  @Test
  void rejectsNumericWithoutPrecision() {
    assertThatThrownBy(() -> PostgresTypeMapping.map("amount", "numeric", -1, true, "numeric"))
        .isInstanceOf(PostgresTypeMapping.UnmappedTypeException.class)
        .hasMessage(
            "has type 'numeric' without precision and scale, which Tributary does not map (an Avro decimal needs a "
                + "fixed precision and scale); declare it numeric(p,s)");
  }

  @Test
  void rejectsNumericScaleOutsideZeroToPrecision() {
    // PostgreSQL 15+ accepts numeric(3,-2) and numeric(3,5)
    assertThat(PostgresTypeMapping.numericScale(numericTypmod(3, -2))).isEqualTo(-2);
    assertThatThrownBy(() -> PostgresTypeMapping.map("n", "numeric", numericTypmod(3, -2), true, "numeric(3,-2)"))
        .isInstanceOf(PostgresTypeMapping.UnmappedTypeException.class)
        .hasMessageContaining("scale -2 outside 0..3");
    assertThatThrownBy(() -> PostgresTypeMapping.map("n", "numeric", numericTypmod(3, 5), true, "numeric(3,5)"))
        .isInstanceOf(PostgresTypeMapping.UnmappedTypeException.class)
        .hasMessageContaining("scale 5 outside 0..3");
  }

  @ParameterizedTest(name = "{0} is not mapped")
  @CsvSource({
    "interval, interval",
    "money, money",
    "timetz, time with time zone",
    "_int4, integer[]",
    "_text, text[]",
    "inet, inet",
    "xml, xml",
    "bit, bit(1)",
    "point, point",
    "int4range, int4range",
    "tsvector, tsvector",
    "public.mood, mood",
    "public.hstore, hstore",
    "public.citext, citext"
  })
  void rejectsUnmappedTypesWithTheSupportedList(String typeName, String display) {
    assertThat(PostgresTypeMapping.isMapped(typeName)).isFalse();
    assertThatThrownBy(() -> PostgresTypeMapping.map("c", typeName, -1, true, display))
        .isInstanceOf(PostgresTypeMapping.UnmappedTypeException.class)
        .hasMessage(
            "has type '" + display + "', which Tributary does not map; supported: " + PostgresTypeMapping.SUPPORTED);
  }

  @Test
  void typeDefinedOutsidePgCatalogIsNotMappedEvenWithABuiltInName() {
    assertThatThrownBy(() -> PostgresTypeMapping.map("c", "myschema.text", -1, true, "myschema.text"))
        .isInstanceOf(PostgresTypeMapping.UnmappedTypeException.class);
  }
}
