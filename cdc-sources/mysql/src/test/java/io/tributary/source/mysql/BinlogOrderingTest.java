package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BinlogOrderingTest {

  @Test
  void foldsFilePositionAndRowIntoOneIncreasingLong() {
    assertThat(BinlogOrdering.of("mysql-bin.000001", 4, 0)).isEqualTo((1L << 44) | (4L << 12));
    assertThat(BinlogOrdering.of("mariadb-bin.000042", 123_456, 7)).isEqualTo((42L << 44) | (123_456L << 12) | 7);
    // the largest parts still give a non-negative long
    long max = BinlogOrdering.of("x.524287", (1L << 32) - 1, 4095);
    assertThat(max).isEqualTo(Long.MAX_VALUE);
    // row saturates at 4095
    assertThat(BinlogOrdering.of("x.1", 10, 70_000)).isEqualTo(BinlogOrdering.of("x.1", 10, 4095));
    // a later position beats any row of an earlier one; a later file beats any position of an earlier one
    assertThat(BinlogOrdering.of("x.1", 11, 0)).isGreaterThan(BinlogOrdering.of("x.1", 10, 4095));
    assertThat(BinlogOrdering.of("x.2", 4, 0)).isGreaterThan(BinlogOrdering.of("x.1", (1L << 32) - 1, 4095));
  }

  @Test
  void rejectsPartsThatWouldOverflow() {
    assertThatThrownBy(() -> BinlogOrdering.of("mysql-bin.524288", 4, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("binlog file mysql-bin.524288 has sequence number 524288, beyond the 524287");
    assertThatThrownBy(() -> BinlogOrdering.of("mysql-bin.000001", 1L << 32, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("binlog position 4294967296 in mysql-bin.000001 is outside 0..4294967295");
    assertThatThrownBy(() -> BinlogOrdering.of("mysql-bin.000001", -5, 0))
        .hasMessageContaining("binlog_legacy_event_pos=ON");
    assertThatThrownBy(() -> BinlogOrdering.of("mysql-bin", 4, 0))
        .hasMessageStartingWith("binlog file name 'mysql-bin' does not end in a numeric extension");
    assertThatThrownBy(() -> BinlogOrdering.of("mysql-bin.00a1", 4, 0)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> BinlogOrdering.of("mysql-bin.000001", 4, -1)).hasMessageContaining("negative");
  }
}
