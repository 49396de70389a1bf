package io.tributary.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.data.SpecialValueDecimal;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Numeric values as text: finite ones in plain notation, the special ones by name. */
class PostgresNumericConverterTest {
  @Test
  void finiteValuesArePlainNotationAndSpecialValuesKeepTheirName() {
    assertThat(PostgresNumericConverter.text(null)).isNull();
    assertThat(PostgresNumericConverter.text(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(PostgresNumericConverter.text(new BigDecimal("-12.50"))).isEqualTo("-12.50");
    assertThat(PostgresNumericConverter.text(new SpecialValueDecimal(new BigDecimal("3.25")))).isEqualTo("3.25");
    assertThat(PostgresNumericConverter.text(SpecialValueDecimal.NOT_A_NUMBER)).isEqualTo("NaN");
    assertThat(PostgresNumericConverter.text(SpecialValueDecimal.POSITIVE_INF)).isEqualTo("Infinity");
    assertThat(PostgresNumericConverter.text(SpecialValueDecimal.NEGATIVE_INF)).isEqualTo("-Infinity");
    assertThat(PostgresNumericConverter.text(Double.NaN)).isEqualTo("NaN");
    assertThat(PostgresNumericConverter.text(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    assertThat(PostgresNumericConverter.text(0.5d)).isEqualTo("0.5");
  }
}
