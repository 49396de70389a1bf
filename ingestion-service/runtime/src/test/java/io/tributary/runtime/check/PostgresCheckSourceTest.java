package io.tributary.runtime.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of {@link PostgresCheckSource} that need no server: LSNs, key literals, counting pending changes. */
class PostgresCheckSourceTest {
  private static long[] m(long lsn, long xid, char type) {
    return new long[] {lsn, xid, type};
  }

  @Test
  void lsnsCompareAsUnsignedPositions() {
    assertThat(PostgresCheckSource.lsn("0/17275B0")).isEqualTo(0x17275B0L);
    assertThat(PostgresCheckSource.lsn("1/0")).isEqualTo(1L << 32);
    assertThat(PostgresCheckSource.lsn("1/0")).isGreaterThan(PostgresCheckSource.lsn("0/FFFFFFFF"));
  }

  @Test
  void theRestOfTheConfirmedTransactionIsPending() {
    // decoded from a copy of the slot: B, R, then five updates, C; the slot confirmed the third update
    List<long[]> msgs = List.of(m(100, 7, 'B'), m(100, 7, 'R'), m(100, 7, 'U'), m(110, 7, 'U'), m(120, 7, 'U'),
        m(130, 7, 'U'), m(140, 7, 'U'), m(150, 7, 'C'));
    assertThat(PostgresCheckSource.pending(msgs, 120)).isEqualTo(2);
    assertThat(PostgresCheckSource.pending(msgs, 140)).isZero();
  }

  @Test
  void aTransactionCommittedAfterTheConfirmedOneIsPendingEvenWithOlderChanges() {
    // transaction 8 began before the confirmed change (its change has a lower LSN) but commits after transaction 7:
    // the pipeline emits in commit order, so it has not emitted it yet
    List<long[]> msgs = List.of(m(200, 7, 'B'), m(200, 7, 'I'), m(250, 7, 'C'), m(150, 8, 'B'), m(150, 8, 'D'),
        m(260, 8, 'C'));
    assertThat(PostgresCheckSource.pending(msgs, 200)).isEqualTo(1);
    // transactions committed before the confirmed one were emitted before it
    List<long[]> earlier = List.of(m(150, 8, 'B'), m(150, 8, 'D'), m(180, 8, 'C'), m(200, 7, 'B'), m(200, 7, 'I'),
        m(250, 7, 'C'));
    assertThat(PostgresCheckSource.pending(earlier, 200)).isZero();
  }

  @Test
  void withoutTheConfirmedChangeEveryDecodedChangeIsPending() {
    // the slot sits at a heartbeat position: whatever commits after it has not been emitted
    List<long[]> msgs = List.of(m(300, 9, 'B'), m(310, 9, 'I'), m(320, 9, 'T'), m(330, 9, 'C'), m(340, 10, 'B'),
        m(350, 10, 'C'));
    assertThat(PostgresCheckSource.pending(msgs, 290)).isEqualTo(2);
    assertThat(PostgresCheckSource.pending(List.of(), 290)).isZero();
  }

  @Test
  void keyLiteralsAreWhatPostgresReadsAsTheColumnType() {
    long micros = LocalDateTime.of(2024, 3, 1, 10, 0, 0, 123_456_000).toEpochSecond(ZoneOffset.UTC) * 1_000_000
        + 123_456;
    assertThat(PostgresCheckSource.literal(Column.of("t", ColumnKind.TIMESTAMP_MICROS, false, "timestamp"),
        Long.toString(micros))).isEqualTo("2024-03-01T10:00:00.123456");
    assertThat(PostgresCheckSource.literal(Column.of("t", ColumnKind.TIMESTAMP_MICROS, false, "timestamp"), "-1"))
        .isEqualTo("1969-12-31T23:59:59.999999");
    long tz = OffsetDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toEpochSecond() * 1_000_000;
    assertThat(PostgresCheckSource.literal(Column.of("t", ColumnKind.TIMESTAMP_TZ_MICROS, false, "timestamptz"),
        Long.toString(tz))).isEqualTo("2024-01-01T00:00:00Z");
    assertThat(PostgresCheckSource.literal(Column.of("t", ColumnKind.TIME_MICROS, false, "time"),
        Long.toString(LocalTime.of(12, 30).toNanoOfDay() / 1000))).isEqualTo("12:30");
    assertThat(PostgresCheckSource.literal(Column.of("b", ColumnKind.BYTES, false, "bytea"), "01ff"))
        .isEqualTo("\\x01ff");
    assertThat(PostgresCheckSource.literal(Column.of("i", ColumnKind.INT64, false, "bigint"), "42")).isEqualTo("42");
  }
}
