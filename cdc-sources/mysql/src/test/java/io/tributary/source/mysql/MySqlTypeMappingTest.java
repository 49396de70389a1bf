package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import org.junit.jupiter.api.Test;

class MySqlTypeMappingTest {

  private static Column map(String dataType, String columnType) throws Exception {
    return MySqlTypeMapping.map("c", dataType, columnType, true, null, null, false);
  }

  private static ColumnKind kind(String dataType, String columnType) throws Exception {
    return map(dataType, columnType).kind();
  }

  @Test
  void integersBySignedness() throws Exception {
    assertThat(kind("tinyint", "tinyint(1)")).isEqualTo(ColumnKind.BOOLEAN);
    assertThat(kind("tinyint", "tinyint(1) unsigned")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("tinyint", "tinyint(4)")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("tinyint", "tinyint unsigned")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("smallint", "smallint(5) unsigned")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("mediumint", "mediumint(8) unsigned")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("int", "int(11)")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("int", "int(10) unsigned")).isEqualTo(ColumnKind.INT64);
    assertThat(kind("int", "int(10) unsigned zerofill")).isEqualTo(ColumnKind.INT64);
    assertThat(kind("bigint", "bigint(20)")).isEqualTo(ColumnKind.INT64);
    Column unsignedBigint = map("bigint", "bigint(20) unsigned");
    assertThat(unsignedBigint.kind()).isEqualTo(ColumnKind.DECIMAL);
    assertThat(unsignedBigint.precision()).isEqualTo(20);
    assertThat(unsignedBigint.scale()).isZero();
    assertThat(unsignedBigint.sourceType()).isEqualTo("bigint(20) unsigned");
  }

  @Test
  void decimalsFloatsAndBits() throws Exception {
    Column dec = MySqlTypeMapping.map("price", "decimal", "decimal(12,3)", false, 12, 3, false);
    assertThat(dec.kind()).isEqualTo(ColumnKind.DECIMAL);
    assertThat(dec.precision()).isEqualTo(12);
    assertThat(dec.scale()).isEqualTo(3);
    assertThat(dec.nullable()).isFalse();
    assertThat(dec.name()).isEqualTo("price");
    assertThat(MySqlTypeMapping.map("n", "decimal", "decimal(65,30)", true, 65, 30, false).precision()).isEqualTo(65);
    assertThat(kind("float", "float")).isEqualTo(ColumnKind.FLOAT32);
    assertThat(kind("double", "double")).isEqualTo(ColumnKind.FLOAT64);
    assertThat(kind("bit", "bit(1)")).isEqualTo(ColumnKind.BOOLEAN);
    assertThat(kind("bit", "bit(10)")).isEqualTo(ColumnKind.BYTES);
    assertThat(kind("bit", "bit(64)")).isEqualTo(ColumnKind.BYTES);
  }

  @Test
  void textTemporalJsonAndBinary() throws Exception {
    for (String t : new String[] {"char", "varchar", "tinytext", "text", "mediumtext", "longtext"}) {
      assertThat(kind(t, t)).as(t).isEqualTo(ColumnKind.STRING);
    }
    assertThat(kind("enum", "enum('a','b')")).isEqualTo(ColumnKind.STRING);
    assertThat(kind("set", "set('x','y')")).isEqualTo(ColumnKind.STRING);
    assertThat(kind("date", "date")).isEqualTo(ColumnKind.DATE);
    assertThat(kind("datetime", "datetime(6)")).isEqualTo(ColumnKind.TIMESTAMP_MICROS);
    assertThat(kind("timestamp", "timestamp(3)")).isEqualTo(ColumnKind.TIMESTAMP_TZ_MICROS);
    assertThat(kind("time", "time(6)")).isEqualTo(ColumnKind.TIME_MICROS);
    assertThat(kind("year", "year(4)")).isEqualTo(ColumnKind.INT32);
    assertThat(kind("json", "json")).isEqualTo(ColumnKind.JSON);
    Column mariaJson = MySqlTypeMapping.map("doc", "longtext", "longtext", true, null, null, true);
    assertThat(mariaJson.kind()).isEqualTo(ColumnKind.JSON);
    assertThat(mariaJson.sourceType()).isEqualTo("json");
    for (String t : new String[] {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}) {
      assertThat(kind(t, t)).as(t).isEqualTo(ColumnKind.BYTES);
    }
    assertThat(kind("INT", "INT(11)")).as("case-insensitive").isEqualTo(ColumnKind.INT32);
  }

  @Test
  void unmappedTypesSayWhatIsSupported() {
    assertThatThrownBy(() -> map("point", "point"))
        .isInstanceOf(MySqlTypeMapping.UnmappedTypeException.class)
        .hasMessage("has type 'point', which Tributary does not map; supported: " + MySqlTypeMapping.SUPPORTED);
    assertThatThrownBy(() -> map("geometry", "geometry")).hasMessageStartingWith("has type 'geometry'");
    assertThatThrownBy(() -> map("uuid", "uuid")).hasMessageStartingWith("has type 'uuid'");
    assertThatThrownBy(() -> MySqlTypeMapping.map("d", "decimal", "decimal(10,2)", true, null, null, false))
        .hasMessageContaining("declare it decimal(p,s) with 0 <= s <= p");
  }

  @Test
  void bitLengthDefaultsToOne() {
    assertThat(MySqlTypeMapping.bitLength("bit")).isEqualTo(1);
    assertThat(MySqlTypeMapping.bitLength("BIT(7)")).isEqualTo(7);
  }
}
