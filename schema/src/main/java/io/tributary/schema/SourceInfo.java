package io.tributary.schema;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where and when a change happened: the {@code source} block of the Debezium envelope, with the fields of
 * every source Tributary supports (fields of another source stay null).
 *
 * <p>{@link #ordering()} is a number that grows with the source's log position (the LSN for PostgreSQL, the binlog
 * position folded into one long for MySQL) and is used as Hudi's ordering field: between two versions of a row,
 * the one with the greater ordering wins. Snapshot rows ({@code op=r}) carry the position the snapshot read at, or 0.
 */
public final class SourceInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  private String connector;
  private String name;
  private String database;
  private String schema;
  private String table;
  private long tsMs;
  private boolean snapshot;
  private Long lsn;
  private Long txId;
  private String binlogFile;
  private Long binlogPos;
  private String gtid;
  private Long serverId;
  private long ordering;

  private SourceInfo() {
    // for Kryo
  }

  private SourceInfo(Builder b) {
    this.connector = Objects.requireNonNull(b.connector, "connector");
    this.name = b.name;
    this.database = Objects.requireNonNull(b.database, "database");
    this.schema = b.schema;
    this.table = Objects.requireNonNull(b.table, "table");
    this.tsMs = b.tsMs;
    this.snapshot = b.snapshot;
    this.lsn = b.lsn;
    this.txId = b.txId;
    this.binlogFile = b.binlogFile;
    this.binlogPos = b.binlogPos;
    this.gtid = b.gtid;
    this.serverId = b.serverId;
    this.ordering = b.ordering;
  }

  /** A builder for a source block; connector, database and table are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Connector name: {@code postgresql} or {@code mysql}. */
  public String connector() {
    return connector;
  }

  /** The logical server name (the pipeline name), may be null. */
  public String name() {
    return name;
  }

  /** The database name; never null. */
  public String database() {
    return database;
  }

  /** Schema name, null for sources without schemas. */
  public String schema() {
    return schema;
  }

  /** The table name; never null. */
  public String table() {
    return table;
  }

  /** When the change was committed in the source, ms since the epoch (0 when unknown, as for snapshot rows). */
  public long tsMs() {
    return tsMs;
  }

  /** Whether the row was read by a snapshot. */
  public boolean snapshot() {
    return snapshot;
  }

  /** PostgreSQL log sequence number of the change, or null. */
  public Long lsn() {
    return lsn;
  }

  /** PostgreSQL transaction id, or null. */
  public Long txId() {
    return txId;
  }

  /** MySQL binlog file name, or null. */
  public String binlogFile() {
    return binlogFile;
  }

  /** MySQL binlog position within {@link #binlogFile()}, bytes, or null. */
  public Long binlogPos() {
    return binlogPos;
  }

  /** MySQL GTID of the transaction, or null. */
  public String gtid() {
    return gtid;
  }

  /** MySQL server id, or null. */
  public Long serverId() {
    return serverId;
  }

  /** The ordering value (see the class comment); never negative. */
  public long ordering() {
    return ordering;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SourceInfo)) {
      return false;
    }
    SourceInfo s = (SourceInfo) o;
    return tsMs == s.tsMs && snapshot == s.snapshot && ordering == s.ordering && connector.equals(s.connector)
        && Objects.equals(name, s.name) && database.equals(s.database) && Objects.equals(schema, s.schema)
        && table.equals(s.table) && Objects.equals(lsn, s.lsn) && Objects.equals(txId, s.txId)
        && Objects.equals(binlogFile, s.binlogFile) && Objects.equals(binlogPos, s.binlogPos)
        && Objects.equals(gtid, s.gtid) && Objects.equals(serverId, s.serverId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(connector, database, schema, table, tsMs, lsn, binlogFile, binlogPos, ordering);
  }

  @Override
  public String toString() {
    return "SourceInfo{" + connector + " " + database + "." + (schema == null ? "" : schema + ".") + table
        + " ts_ms=" + tsMs + " snapshot=" + snapshot + (lsn != null ? " lsn=" + lsn : "")
        + (binlogFile != null ? " binlog=" + binlogFile + ":" + binlogPos : "") + " ordering=" + ordering + "}";
  }

  /** Builds a {@link SourceInfo}. */
  public static final class Builder {
    private String connector;
    private String name;
    private String database;
    private String schema;
    private String table;
    private long tsMs;
    private boolean snapshot;
    private Long lsn;
    private Long txId;
    private String binlogFile;
    private Long binlogPos;
    private String gtid;
    private Long serverId;
    private long ordering;

    /** Connector name, {@code postgresql} or {@code mysql}; required. */
    public Builder connector(String v) {
      connector = v;
      return this;
    }

    /** Logical server name (the pipeline name); optional. */
    public Builder name(String v) {
      name = v;
      return this;
    }

    /** Sets database, schema and table from a table id. */
    public Builder table(TableId id) {
      database = id.database();
      schema = id.schema();
      table = id.table();
      return this;
    }

    /** Commit time in the source, ms since the epoch (0 when unknown). */
    public Builder tsMs(long v) {
      tsMs = v;
      return this;
    }

    /** Whether the row was read by a snapshot. */
    public Builder snapshot(boolean v) {
      snapshot = v;
      return this;
    }

    /** PostgreSQL log sequence number; null for other sources. */
    public Builder lsn(Long v) {
      lsn = v;
      return this;
    }

    /** PostgreSQL transaction id; null for other sources. */
    public Builder txId(Long v) {
      txId = v;
      return this;
    }

    /** MySQL binlog file name; null for other sources. */
    public Builder binlogFile(String v) {
      binlogFile = v;
      return this;
    }

    /** MySQL binlog position in bytes; null for other sources. */
    public Builder binlogPos(Long v) {
      binlogPos = v;
      return this;
    }

    /** MySQL GTID of the transaction; null when absent. */
    public Builder gtid(String v) {
      gtid = v;
      return this;
    }

    /** MySQL server id; null for other sources. */
    public Builder serverId(Long v) {
      serverId = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException if {@code v} is negative
     */
    public Builder ordering(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("ordering must be >= 0, got " + v);
      }
      ordering = v;
      return this;
    }

    /** @throws NullPointerException if connector, database or table is missing */
    public SourceInfo build() {
      return new SourceInfo(this);
    }
  }
}
