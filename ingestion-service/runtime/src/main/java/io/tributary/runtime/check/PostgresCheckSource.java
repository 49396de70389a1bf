package io.tributary.runtime.check;

import io.tributary.schema.Column;
import io.tributary.schema.TableSchema;
import io.tributary.source.postgres.PostgresConnectionSettings;
import io.tributary.source.postgres.PostgresSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CheckSource} for a PostgreSQL source: positions are WAL LSNs ({@code 0/1A2B3C0}), the pipeline's progress is
 * its replication slot ({@code slot.name}, default {@code tributary_<pipeline name>}) in {@code pg_replication_slots}.
 *
 * <p><b>When is the pipeline caught up with a target LSN {@code P}?</b> Flink CDC confirms a position to the slot
 * only when a checkpoint completes (and, by default, three checkpoints late: {@code lsn.commit.checkpoints.num.delay}),
 * while the Kafka and Hudi sinks commit on checkpoint completion; so every change at or before the slot's {@code
 * confirmed_flush_lsn} is committed to the sinks. The position confirmed is that of the last change the checkpoint
 * holds (not its transaction's commit record), and on quiet tables it moves only with the source's heartbeat
 * ({@code heartbeat.interval.ms}, default 30 s; measured: it then jumps to the server's current WAL position). Hence
 * {@code confirmed_flush_lsn >= P}, the fast rule, is reached on a quiet pipeline only after a heartbeat. The exact
 * rule used otherwise: copy the slot to a temporary slot ({@code pg_copy_logical_replication_slot}, PostgreSQL 12+,
 * the pipeline's slot is not touched) and peek with {@code pgoutput} at the pipeline's publication up to {@code P}
 * ({@code pg_logical_slot_peek_binary_changes}, which returns transactions committed after the slot's position and
 * before {@code P}, in commit order). Changes in the transaction holding the confirmed change and in transactions
 * committed before it were emitted; every other change (insert, update, delete, truncate) is pending. No pending
 * change means caught up. The peek reads at most {@value #PEEK_LIMIT} messages, at most every 2 s; when the copy or
 * the peek fails three times in a row (no free replication slot, missing privilege, an older server) the fast rule
 * alone decides and the reason is shown.
 *
 * <p>One exception, seen in Flink CDC 3.5: a checkpoint without a recorded log position (those taken during the
 * snapshot, still queued in that delay when the log phase starts) makes it confirm the position its reader has
 * reached, which may be ahead of the sinks. So for the first {@value #SETTLE_CHECKPOINTS} checkpoint intervals
 * (plus 2 s) after the slot's reader connected ({@code pg_stat_activity.backend_start} of the slot's {@code
 * active_pid}), its position does not count and the check waits. After a restart from a checkpoint that wait is not
 * needed but does no harm.
 *
 * <p>An inactive slot means the pipeline is not reading the log: it is in its initial snapshot when the back-fill
 * slots {@code <slot>_<n>} that Flink CDC keeps while reading snapshot chunks exist ({@link ReaderStatus.State#SNAPSHOT}),
 * else it is stopped, restarting, or between its snapshot and its log phase ({@link ReaderStatus.State#IDLE}). The
 * confirmed position of an inactive slot may lag what the sinks hold by a few checkpoints (the confirmation delay
 * above).
 */
public final class PostgresCheckSource implements CheckSource {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresCheckSource.class);

  /** Most messages one peek decodes; beyond that the peek is inconclusive and the next poll tries again. */
  static final int PEEK_LIMIT = 10_000;

  /** Least time between two peeks for the same target. */
  static final Duration PEEK_INTERVAL = Duration.ofSeconds(2);

  private static final AtomicInteger TEMP_SLOTS = new AtomicInteger();

  /** Checkpoints after which Flink CDC confirms only checkpointed positions (its commit delay of 3, plus 2). */
  static final int SETTLE_CHECKPOINTS = 5;

  private final PostgresConnectionSettings connection;
  private final String slot;
  private final String publication;
  private final Duration streamSettle;
  private Connection control;
  private String peekUnavailable;
  private int peekFailures;
  private String peekTarget;
  private long peekPending;
  private long peekNanos;

  /**
   * @param source the pipeline's configured PostgreSQL source; nothing connects until a method needs it
   * @param checkpointInterval the pipeline's checkpoint interval (see the class comment on the first checkpoints)
   */
  public PostgresCheckSource(PostgresSource source, Duration checkpointInterval) {
    this.streamSettle = checkpointInterval.multipliedBy(SETTLE_CHECKPOINTS).plusSeconds(2);
    this.connection = source.connection();
    this.slot = source.slotName();
    this.publication = source.publicationName();
  }

  @Override
  public String describe() {
    return "PostgreSQL " + connection.describe() + ", replication slot " + slot;
  }

  @Override
  public String position() throws CheckException {
    try (PreparedStatement ps = control().prepareStatement("SELECT pg_current_wal_lsn()::text");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new CheckException("cannot read the current WAL position of PostgreSQL at " + connection.describe() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public ReaderStatus status(String target) throws CheckException {
    boolean active;
    String confirmed;
    Double activeSeconds;
    try (PreparedStatement ps = control().prepareStatement(
        "SELECT s.active, s.confirmed_flush_lsn::text, s.database = current_database(),"
            + " extract(epoch FROM clock_timestamp() - a.backend_start)::float8"
            + " FROM pg_replication_slots s LEFT JOIN pg_stat_activity a ON a.pid = s.active_pid"
            + " WHERE s.slot_name = ?")) {
      ps.setString(1, slot);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(3)) {
          throw new CheckException("replication slot " + slot + " does not exist in database "
              + connection.database() + " on " + connection.hostname() + ":" + connection.port()
              + ": the pipeline has not run against this database (or was reset); start it with tributary run");
        }
        active = rs.getBoolean(1);
        confirmed = rs.getString(2);
        double secs = rs.getDouble(4);
        activeSeconds = rs.wasNull() ? null : secs;
      }
    } catch (SQLException e) {
      throw new CheckException("cannot read replication slot " + slot + " on " + connection.describe() + ": "
          + e.getMessage(), e);
    }
    long lag = confirmed == null ? -1 : lsn(target) - lsn(confirmed);
    String at = "slot " + slot + (confirmed == null ? " has confirmed no position yet" : " at " + confirmed);
    if (!active) {
      String behind = lag < 0 ? "" : lag <= 0 ? ", at or past " + target
          : ", " + lag + " bytes of WAL behind " + target;
      List<String> backfill = backfillSlots();
      if (!backfill.isEmpty()) {
        return new ReaderStatus(ReaderStatus.State.SNAPSHOT, false, confirmed, lag, -1,
            at + " is not active yet and back-fill slot(s) " + String.join(", ", backfill)
                + " exist: the pipeline is in its initial snapshot");
      }
      return new ReaderStatus(ReaderStatus.State.IDLE, confirmed != null && lag <= 0, confirmed, lag, -1,
          at + " is not active: the pipeline is not running (or between its snapshot and its log phase)" + behind);
    }
    long settleSeconds = streamSettle.toSeconds();
    if (activeSeconds != null && activeSeconds < settleSeconds) {
      return new ReaderStatus(ReaderStatus.State.READING, false, confirmed, lag, -1, String.format(
          "%s; the pipeline started reading the log %.0f s ago, and right after its snapshot Flink CDC may confirm"
              + " positions its sinks have not committed yet, so its position counts once it has read for %d s",
          at, activeSeconds, settleSeconds));
    }
    if (confirmed != null && lag <= 0) {
      return new ReaderStatus(ReaderStatus.State.READING, true, confirmed, lag, 0, at + ", at or past " + target);
    }
    if (confirmed == null) {
      return new ReaderStatus(ReaderStatus.State.READING, false, null, -1, -1, at);
    }
    long pending = pendingChanges(confirmed, target);
    String head = at + ", " + lag + " bytes of WAL before " + target;
    if (pending == 0) {
      return new ReaderStatus(ReaderStatus.State.READING, true, confirmed, lag, 0,
          head + ", no change to a captured table in between");
    }
    if (pending > 0) {
      return new ReaderStatus(ReaderStatus.State.READING, false, confirmed, lag, pending,
          head + ", " + pending + (pending >= PEEK_LIMIT ? "+" : "") + " change(s) to captured tables not yet"
              + " committed to the sinks");
    }
    return new ReaderStatus(ReaderStatus.State.READING, false, confirmed, lag, -1,
        head + (peekUnavailable == null ? "" : " (waiting for the slot to pass it: " + peekUnavailable + ")"));
  }

  /**
   * The slots Flink CDC creates for the back-fill of each snapshot chunk ({@code <slot>_<subtask>}) and drops when the
   * chunk is done: while one exists, the pipeline is in its initial snapshot (or crashed in it).
   */
  private List<String> backfillSlots() throws CheckException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = control().prepareStatement(
        "SELECT slot_name FROM pg_replication_slots WHERE database = current_database() AND slot_name ~ ?"
            + " ORDER BY slot_name")) {
      ps.setString(1, "^" + slot + "_[0-9]+$");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new CheckException("cannot list replication slots on " + connection.describe() + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Changes to captured tables committed after the slot's confirmed position and before {@code target} that the
   * pipeline has not committed to its sinks (see the class comment): 0 when there are none, -1 when unknown.
   */
  private long pendingChanges(String confirmed, String target) {
    if (peekUnavailable != null) {
      return -1;
    }
    // nothing pending before a target stays so; otherwise decode again at most every PEEK_INTERVAL
    if (target.equals(peekTarget)
        && (peekPending == 0 || System.nanoTime() - peekNanos < PEEK_INTERVAL.toNanos())) {
      return peekPending;
    }
    long pending = peek(confirmed, target);
    peekTarget = target;
    peekPending = pending;
    peekNanos = System.nanoTime();
    return pending;
  }

  private long peek(String confirmed, String target) {
    String temp = ("tributary_verify_" + ProcessHandle.current().pid() + "_" + TEMP_SLOTS.incrementAndGet());
    Connection c;
    try {
      c = control();
    } catch (CheckException e) {
      return -1;
    }
    try {
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_copy_logical_replication_slot(?, ?, true)")) {
        ps.setString(1, slot);
        ps.setString(2, temp);
        ps.execute();
      }
      long from = lsn(confirmed);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, temp);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next() && rs.getString(1) != null) {
            from = lsn(rs.getString(1));
          }
        }
      }
      List<long[]> messages = new ArrayList<>(); // {lsn, xid, type}
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT lsn::text, xid::text, get_byte(data, 0) FROM pg_logical_slot_peek_binary_changes(?, ?::pg_lsn, ?,"
              + " 'proto_version', '1', 'publication_names', ?)")) {
        ps.setString(1, temp);
        ps.setString(2, target);
        ps.setInt(3, PEEK_LIMIT);
        ps.setString(4, "\"" + publication + "\"");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            messages.add(new long[] {lsn(rs.getString(1)), Long.parseLong(rs.getString(2)), rs.getInt(3)});
          }
        }
      }
      long pending = pending(messages, from);
      peekFailures = 0;
      return pending == 0 && messages.size() >= PEEK_LIMIT ? -1 : pending;
    } catch (SQLException | RuntimeException e) {
      // a copy can fail now and then while the pipeline advances its slot ("modified incompatibly during the copy")
      LOG.info("verify: counting pending changes with a copy of slot {} failed: {}", slot, e.getMessage());
      if (++peekFailures >= 3) {
        peekUnavailable = "cannot count pending changes with a copy of the slot: " + e.getMessage();
      }
      return -1;
    } finally {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, temp);
        ps.execute();
      } catch (SQLException e) {
        LOG.debug("dropping temporary slot {} failed (it goes with the session)", temp, e);
      }
    }
  }

  /**
   * Counts the pending changes among decoded messages (see the class comment).
   *
   * @param messages {lsn, xid, message type byte} in decoding order (commit order, one transaction after another)
   * @param confirmed the slot's confirmed LSN
   */
  static long pending(List<long[]> messages, long confirmed) {
    int at = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (isChange(messages.get(i)) && messages.get(i)[0] == confirmed) {
        at = i;
      }
    }
    long confirmedXid = at < 0 ? -1 : messages.get(at)[1];
    long pending = 0;
    for (int i = 0; i < messages.size(); i++) {
      long[] m = messages.get(i);
      if (!isChange(m)) {
        continue;
      }
      if (at < 0) {
        pending++;
      } else if (m[1] == confirmedXid) {
        pending += m[0] > confirmed ? 1 : 0;
      } else if (i > at) {
        pending++;
      }
    }
    return pending;
  }

  private static boolean isChange(long[] m) {
    // pgoutput message types: I(nsert), U(pdate), D(elete), T(runcate)
    return m[2] == 'I' || m[2] == 'U' || m[2] == 'D' || m[2] == 'T';
  }

  @Override
  public TableRows read(TableSchema table) throws CheckException {
    try (Connection c = open("tributary-verify-read")) {
      return JdbcTableReader.read(c, null, List.of(), new TableRows(table, "source"));
    } catch (SQLException e) {
      throw new CheckException("cannot read table " + table.tableId() + " from " + connection.describe() + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public TableRows read(TableSchema table, Collection<Map<String, String>> keys) throws CheckException {
    Set<String> wanted = new HashSet<>();
    for (Map<String, String> k : keys) {
      wanted.add(TableRows.keyOfValues(table, k));
    }
    List<Column> pk = table.primaryKeyColumns();
    try (Connection c = open("tributary-verify-read")) {
      TableRows out = new TableRows(table, "source", wanted);
      List<Map<String, String>> all = new ArrayList<>(keys);
      int chunk = Math.max(1, 1000 / Math.max(1, pk.size()));
      for (int from = 0; from < all.size(); from += chunk) {
        StringBuilder where = new StringBuilder();
        List<String> params = new ArrayList<>();
        for (Map<String, String> k : all.subList(from, Math.min(all.size(), from + chunk))) {
          where.append(where.length() == 0 ? "(" : " OR (");
          for (int i = 0; i < pk.size(); i++) {
            Column col = pk.get(i);
            where.append(i == 0 ? "" : " AND ").append(JdbcTableReader.quote(col.name())).append(" = ?");
            params.add(literal(col, k.get(col.name())));
          }
          where.append(')');
        }
        JdbcTableReader.read(c, where.toString(), params, out);
      }
      return out;
    } catch (SQLException | RuntimeException e) {
      // a key type without a text literal PostgreSQL can compare: read the whole table, keeping these keys
      LOG.info("verify: reading {} by key failed ({}); reading the whole table", table.tableId(), e.getMessage());
      try (Connection c = open("tributary-verify-read")) {
        return JdbcTableReader.read(c, null, List.of(), new TableRows(table, "source", wanted));
      } catch (SQLException e2) {
        throw new CheckException("cannot read table " + table.tableId() + " from " + connection.describe() + ": "
            + e2.getMessage(), e2);
      }
    }
  }

  /**
   * A PostgreSQL text literal of a canonical key value, bound as an untyped parameter ({@code stringtype=unspecified})
   * so the server reads it as the column's type.
   */
  static String literal(Column c, String canonical) {
    if (canonical == null) {
      throw new IllegalArgumentException("primary key column " + c.name() + " is null");
    }
    switch (c.kind()) {
      case BYTES:
        return "\\x" + canonical;
      case TIME_MICROS:
        return LocalTime.ofNanoOfDay(Long.parseLong(canonical) * 1000).toString();
      case TIMESTAMP_MICROS: {
        long m = Long.parseLong(canonical);
        return LocalDateTime.ofEpochSecond(Math.floorDiv(m, 1_000_000), (int) Math.floorMod(m, 1_000_000) * 1000,
            ZoneOffset.UTC).toString();
      }
      case TIMESTAMP_TZ_MICROS: {
        long m = Long.parseLong(canonical);
        return Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000), Math.floorMod(m, 1_000_000) * 1000L).toString();
      }
      default:
        return canonical;
    }
  }

  /**
   * An LSN {@code X/Y} (two hexadecimal halves) as an unsigned 64-bit number.
   *
   * @throws IllegalArgumentException if the text is not an LSN
   */
  static long lsn(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not an LSN: " + text);
    }
    return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
  }

  private Connection control() throws CheckException {
    try {
      if (control == null || control.isClosed()) {
        control = open("tributary-verify");
      }
      return control;
    } catch (SQLException e) {
      throw new CheckException(e.getMessage(), e);
    }
  }

  private Connection open(String applicationName) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", connection.username());
    if (connection.password() != null) {
      props.setProperty("password", connection.password());
    }
    props.setProperty("connectTimeout", Long.toString(Math.max(1, connection.connectTimeout().toSeconds())));
    props.setProperty("ApplicationName", applicationName);
    // key values are bound as text that the server reads as the column's type (uuid, timestamp, numeric, ...)
    props.setProperty("stringtype", "unspecified");
    try {
      Connection c = new org.postgresql.Driver().connect(connection.jdbcUrl(), props);
      if (c == null) {
        throw new SQLException("the PostgreSQL driver does not accept " + connection.jdbcUrl());
      }
      return c;
    } catch (SQLException e) {
      throw new SQLException("cannot connect to PostgreSQL at " + connection.describe() + ": " + e.getMessage(),
          e.getSQLState(), e);
    }
  }

  @Override
  public void close() {
    if (control != null) {
      try {
        control.close();
      } catch (SQLException e) {
        LOG.debug("closing the verify connection", e);
      }
      control = null;
    }
  }
}
