package io.tributary.source.postgres;

import io.tributary.config.ConfigProblem;
import io.tributary.config.spi.SourceDiscovery;
import io.tributary.schema.Column;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the catalog of a PostgreSQL database for {@link PostgresSource#discover()}. */
final class PostgresDiscoverer {
  /** An exact name: {@code schema.table}, both unquoted identifiers. Anything else is a regular expression. */
  private static final Pattern EXACT_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*\\.[A-Za-z_][A-Za-z0-9_$]*");

  /** Tables above this size (bytes) never get a {@code count(*)} when statistics are missing. */
  private static final long COUNT_LIMIT_BYTES = 16L * 1024 * 1024;

  private static final String TABLES_SQL =
      "SELECT n.nspname, c.relname, c.oid, c.relkind, c.relreplident, c.reltuples, pg_relation_size(c.oid) "
          + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
          + "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
          + "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%' "
          + "ORDER BY n.nspname, c.relname";

  private static final String COLUMNS_SQL =
      "SELECT a.attname, a.attnotnull, a.atttypmod, t.typname, tn.nspname, format_type(a.atttypid, a.atttypmod) "
          + "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
          + "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
          + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";

  private static final String PRIMARY_KEY_SQL =
      "SELECT a.attname FROM pg_index i "
          + "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) "
          + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
          + "WHERE i.indrelid = ? AND i.indisprimary ORDER BY k.ord";

  /** Flink CDC 3.5's snapshot-only mode, as it behaves with PostgreSQL. */
  static final String SNAPSHOT_MODE_WARNING =
      "startup.mode snapshot: after the snapshot Flink CDC 3.5 reads the log up to the snapshot's last high "
          + "watermark before the job finishes; if the log moved while the snapshot ran, that phase ends only with "
          + "the next change to a captured table (on PostgreSQL 14 and older, any write transaction), so on a "
          + "database that then goes idle the job keeps waiting. The replication slot stays behind: drop it when "
          + "the job has finished";

  private final PostgresSource source;
  private final String path;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  PostgresDiscoverer(PostgresSource source) {
    this.source = source;
    this.path = source.optionsPath();
  }

  SourceDiscovery discover(Connection conn) throws SQLException {
    checkServer(conn);
    if (source.startupMode() == PostgresStartupMode.SNAPSHOT) {
      warnings.add(SNAPSHOT_MODE_WARNING);
    }
    Map<String, CatalogTable> all = listTables(conn);
    Map<String, CatalogTable> matched = new TreeMap<>();
    for (String entry : source.tablePatterns()) {
      List<CatalogTable> hits = match(entry, all);
      if (hits == null) {
        continue; // invalid pattern, already reported
      }
      if (hits.isEmpty()) {
        tableProblem(
            "'" + entry + "' matches no table in database " + source.connection().database()
                + " (system schemas excluded); write schema.table, e.g. public.orders, or a regular expression "
                + "over schema.table, e.g. public\\.order_items_.*");
      }
      for (CatalogTable t : hits) {
        matched.putIfAbsent(t.qualifiedName(), t);
      }
    }

    for (String exclude : source.excludePatterns()) {
      Pattern pattern;
      try {
        pattern = Pattern.compile(exclude);
      } catch (PatternSyntaxException e) {
        String key = PostgresSourceOptions.TABLES_EXCLUDE.key();
        problems.add(new ConfigProblem(path + "." + key, source.line(key),
            "'" + exclude + "' is not a valid regular expression: " + e.getDescription()));
        continue;
      }
      matched.keySet().removeIf(name -> pattern.matcher(name).matches());
    }
    // tables the user cannot read are reported and left out: describing them would fail on the first query
    matched.keySet().removeAll(checkPrivileges(conn, matched.values()));

    List<TableSchema> tables = new ArrayList<>();
    Map<TableId, Long> rows = new HashMap<>();
    for (CatalogTable t : matched.values()) {
      TableSchema schema = describe(conn, t);
      if (schema != null) {
        tables.add(schema);
        rows.put(schema.tableId(), estimateRows(conn, t));
      }
    }
    tables.sort((a, b) -> a.tableId().compareTo(b.tableId()));
    return new SourceDiscovery(tables, rows, problems, warnings);
  }

  /**
   * The user must be able to SELECT every captured table (snapshot), and, since Tributary creates the pipeline's
   * publication for exactly these tables, own them (PostgreSQL requires ownership to add a table to a publication)
   * unless it is a superuser or the publication already exists (then its owner keeps it up to date: a warning).
   *
   * @return the qualified names of the tables the user may not SELECT from
   */
  private java.util.Set<String> checkPrivileges(Connection conn, java.util.Collection<CatalogTable> tables)
      throws SQLException {
    java.util.Set<String> unreadable = new java.util.HashSet<>();
    boolean superuser;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      superuser = rs.next() && rs.getBoolean(1);
    }
    boolean publicationExists;
    try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
      ps.setString(1, source.publicationName());
      try (ResultSet rs = ps.executeQuery()) {
        publicationExists = rs.next();
      }
    }
    List<String> notOwned = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT has_table_privilege(c.oid, 'SELECT'), pg_has_role(c.relowner, 'USAGE') FROM pg_class c WHERE c.oid = ?")) {
      for (CatalogTable t : tables) {
        ps.setLong(1, t.oid());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            continue;
          }
          if (!rs.getBoolean(1)) {
            tableProblem("user '" + source.connection().username() + "' may not SELECT from " + t.qualifiedName()
                + " (the snapshot reads it); GRANT SELECT ON " + quote(t.schema()) + "." + quote(t.table()) + " TO "
                + quote(source.connection().username()));
            unreadable.add(t.qualifiedName());
          }
          if (!superuser && !rs.getBoolean(2)) {
            notOwned.add(t.qualifiedName());
          }
        }
      }
    }
    if (!notOwned.isEmpty()) {
      String what = "user '" + source.connection().username() + "' neither owns " + notOwned + " nor is a superuser, "
          + "and PostgreSQL lets only a table's owner add it to a publication";
      if (publicationExists) {
        warnings.add(what + "; publication '" + source.publicationName() + "' exists, so its owner must keep it "
            + "covering exactly the captured tables");
      } else {
        tableProblem(what + ": create publication '" + source.publicationName() + "' as the owner (CREATE PUBLICATION "
            + quote(source.publicationName()) + " FOR TABLE ...) before the first run");
      }
    }
    return unreadable;
  }

  private void checkServer(Connection conn) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SHOW wal_level")) {
      rs.next();
      String walLevel = rs.getString(1);
      if (!"logical".equals(walLevel)) {
        problems.add(
            new ConfigProblem(
                path,
                0,
                "the server at " + source.connection().hostname() + ":" + source.connection().port()
                    + " runs with wal_level=" + walLevel + "; change data capture needs wal_level=logical "
                    + "(set it in postgresql.conf and restart the server)"));
      }
    }
    try (PreparedStatement ps =
        conn.prepareStatement("SELECT rolsuper OR rolreplication FROM pg_roles WHERE rolname = current_user")) {
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next() && !rs.getBoolean(1)) {
          problems.add(
              new ConfigProblem(
                  path + "." + PostgresSourceOptions.USERNAME.key(),
                  source.line(PostgresSourceOptions.USERNAME.key()),
                  "user '" + source.connection().username() + "' has neither the REPLICATION attribute nor "
                      + "superuser; grant it with ALTER ROLE " + quote(source.connection().username())
                      + " WITH REPLICATION"));
        }
      }
    }
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT plugin, database, active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
      ps.setString(1, source.slotName());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          String plugin = rs.getString(1);
          String database = rs.getString(2);
          String slotKey = path + "." + PostgresSourceOptions.SLOT_NAME.key();
          int slotLine = source.line(PostgresSourceOptions.SLOT_NAME.key());
          if (!"pgoutput".equals(plugin)) {
            problems.add(
                new ConfigProblem(
                    slotKey,
                    slotLine,
                    "replication slot '" + source.slotName() + "' exists with plugin '" + plugin
                        + "', not pgoutput; drop it or choose another slot.name"));
          } else if (!source.connection().database().equals(database)) {
            problems.add(
                new ConfigProblem(
                    slotKey,
                    slotLine,
                    "replication slot '" + source.slotName() + "' belongs to database '" + database
                        + "', not '" + source.connection().database() + "'; choose another slot.name"));
          } else if (rs.getBoolean(3)) {
            warnings.add(
                "replication slot '" + source.slotName() + "' is in use by process " + rs.getInt(4)
                    + "; a second job reading the same slot fails (is this pipeline already running?)");
          }
        }
      }
    }
  }

  private Map<String, CatalogTable> listTables(Connection conn) throws SQLException {
    Map<String, CatalogTable> out = new LinkedHashMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(TABLES_SQL)) {
      while (rs.next()) {
        CatalogTable t =
            new CatalogTable(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4).charAt(0),
                rs.getString(5).charAt(0),
                rs.getDouble(6),
                rs.getLong(7));
        out.put(t.qualifiedName(), t);
      }
    }
    return out;
  }

  /** The tables an entry of {@code tables} matches, or null if the entry is not a valid regular expression. */
  private List<CatalogTable> match(String entry, Map<String, CatalogTable> all) {
    List<CatalogTable> out = new ArrayList<>();
    if (EXACT_NAME.matcher(entry).matches()) {
      CatalogTable t = all.get(entry);
      if (t != null) {
        out.add(t);
      }
      return out;
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(entry);
    } catch (PatternSyntaxException e) {
      tableProblem(
          "'" + entry + "' is neither a schema.table name nor a valid regular expression: " + e.getDescription());
      return null;
    }
    for (CatalogTable t : all.values()) {
      if (pattern.matcher(t.qualifiedName()).matches()) {
        out.add(t);
      }
    }
    return out;
  }

  /** Maps a table's columns and reads its primary key; null (with problems recorded) if it cannot be captured. */
  private TableSchema describe(Connection conn, CatalogTable t) throws SQLException {
    String name = t.qualifiedName();
    if (t.kind() == 'p') {
      tableProblem(
          "table " + name + " is a partitioned table, which Tributary does not capture as a whole; list its "
              + "partitions instead (for example '" + t.schema() + "\\." + t.table() + "_.*')");
      return null;
    }
    boolean ok = true;
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(COLUMNS_SQL)) {
      ps.setLong(1, t.oid());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String column = rs.getString(1);
          boolean nullable = !rs.getBoolean(2);
          int typmod = rs.getInt(3);
          String typeNamespace = rs.getString(5);
          String typeName =
              "pg_catalog".equals(typeNamespace) ? rs.getString(4) : typeNamespace + "." + rs.getString(4);
          String display = rs.getString(6);
          try {
            columns.add(PostgresTypeMapping.map(column, typeName, typmod, nullable, display));
            if ("time".equals(typeName) && (typmod < 0 || typmod > 3)) {
              warnings.add(
                  "table " + name + " column " + column + " (" + display + "): snapshot rows carry milliseconds "
                      + "only (Flink CDC 3.5 reads snapshots through JDBC's java.sql.Time); changes from the log "
                      + "keep microseconds");
            }
          } catch (PostgresTypeMapping.UnmappedTypeException e) {
            tableProblem("table " + name + " column " + column + " " + e.getMessage());
            ok = false;
          }
        }
      }
    }
    if (columns.isEmpty() && ok) {
      tableProblem("table " + name + " has no columns");
      return null;
    }
    List<String> primaryKey = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(PRIMARY_KEY_SQL)) {
      ps.setLong(1, t.oid());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          primaryKey.add(rs.getString(1));
        }
      }
    }
    if (primaryKey.isEmpty()) {
      tableProblem(
          "table " + name + " has no primary key; Tributary needs one (message keys, record keys and snapshot "
              + "chunks are derived from it): add one with ALTER TABLE " + quote(t.schema()) + "." + quote(t.table())
              + " ADD PRIMARY KEY (...)");
      ok = false;
    }
    switch (t.replicaIdentity()) {
      case 'f':
        break;
      case 'n':
        tableProblem(
            "table " + name + " has REPLICA IDENTITY NOTHING: once it is in a publication PostgreSQL rejects its "
                + "UPDATEs and DELETEs; run ALTER TABLE " + quote(t.schema()) + "." + quote(t.table())
                + " REPLICA IDENTITY FULL");
        ok = false;
        break;
      default:
        warnings.add(
            "table " + name + " has REPLICA IDENTITY " + (t.replicaIdentity() == 'i' ? "USING INDEX" : "DEFAULT")
                + ": updates carry no before image and deletes carry only the key columns in before (other "
                + "columns null), and an update that leaves a large (TOASTed) value unchanged fails the job; run "
                + "ALTER TABLE " + quote(t.schema()) + "." + quote(t.table()) + " REPLICA IDENTITY FULL");
    }
    if (!ok) {
      return null;
    }
    return new TableSchema(
        new TableId(source.connection().database(), t.schema(), t.table()), columns, primaryKey);
  }

  private long estimateRows(Connection conn, CatalogTable t) throws SQLException {
    if (t.reltuples() > 0) {
      return Math.round(t.reltuples());
    }
    // never analyzed (-1 since PostgreSQL 14, 0 before): count small tables, leave big ones unknown
    if (t.sizeBytes() > COUNT_LIMIT_BYTES) {
      return -1;
    }
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(t.schema()) + "." + quote(t.table()))) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void tableProblem(String message) {
    String key = PostgresSourceOptions.TABLES.key();
    problems.add(new ConfigProblem(path + "." + key, source.line(key), message));
  }

  /** Quotes an identifier for SQL: {@code "name"}, doubling embedded quotes. */
  static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** A row of pg_class we care about. */
  private record CatalogTable(
      String schema, String table, long oid, char kind, char replicaIdentity, double reltuples, long sizeBytes) {
    String qualifiedName() {
      return schema + "." + table;
    }
  }
}
