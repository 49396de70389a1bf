package io.tributary.source.mysql;

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
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the catalog and settings of a MySQL or MariaDB server for {@link MySqlSource#discover()}. */
final class MySqlDiscoverer {
  /** An exact name: {@code db.table}, both unquoted identifiers. Anything else is a regular expression. */
  private static final Pattern EXACT_NAME = Pattern.compile("[A-Za-z0-9_$]+\\.[A-Za-z0-9_$]+");

  /** Databases that are never captured. */
  static final Set<String> SYSTEM_DATABASES = Set.of("mysql", "information_schema", "performance_schema", "sys");

  /** Tables above this size (bytes) never get a {@code count(*)} when statistics say 0 rows. */
  private static final long COUNT_LIMIT_BYTES = 16L * 1024 * 1024;

  /** Tolerated difference between the server's UTC offset and {@code server-time-zone}'s, seconds. */
  private static final int TIME_ZONE_TOLERANCE_SECONDS = 60;

  private static final String TABLES_SQL =
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES "
          + "WHERE TABLE_TYPE = 'BASE TABLE' "
          + "AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') "
          + "ORDER BY TABLE_SCHEMA, TABLE_NAME";

  private static final String COLUMNS_SQL =
      "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, NUMERIC_PRECISION, NUMERIC_SCALE "
          + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

  private static final String PRIMARY_KEY_SQL =
      "SELECT COLUMN_NAME FROM information_schema.STATISTICS "
          + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX";

  /** MariaDB declares {@code json} as {@code longtext} with a column constraint {@code CHECK (json_valid(col))}. */
  private static final String MARIADB_JSON_CHECKS_SQL =
      "SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?";

  private static final Pattern JSON_VALID_CLAUSE = Pattern.compile("\\s*json_valid\\(`((?:[^`]|``)+)`\\)\\s*");

  private static final String VARIABLES_SQL =
      "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('log_bin', 'binlog_format', 'binlog_row_image', "
          + "'binlog_row_value_options', 'binlog_legacy_event_pos')";

  private final MySqlSource source;
  private final String path;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private boolean mariaDb;

  MySqlDiscoverer(MySqlSource source) {
    this.source = source;
    this.path = source.optionsPath();
  }

  SourceDiscovery discover(Connection conn) throws SQLException {
    checkServer(conn);
    Map<String, CatalogTable> all = listTables(conn);
    Map<String, CatalogTable> matched = new TreeMap<>();
    for (String entry : source.tablePatterns()) {
      List<CatalogTable> hits = match(entry, all);
      if (hits == null) {
        continue; // invalid pattern, already reported
      }
      if (hits.isEmpty()) {
        tableProblem(
            "'" + entry + "' matches no table visible to user '" + source.connection().username() + "' (system "
                + "databases excluded; a table the user has no privilege on is not visible); write db.table, e.g. "
                + "shop.orders, or a regular expression over db.table, e.g. shop\\.order_items_.* or shop\\..*");
      }
      for (CatalogTable t : hits) {
        matched.putIfAbsent(t.qualifiedName(), t);
      }
    }
    applyExcludes(matched);

    MySqlGrants grants = readGrants(conn);
    List<TableSchema> tables = new ArrayList<>();
    Map<TableId, Long> rows = new HashMap<>();
    for (CatalogTable t : matched.values()) {
      TableSchema schema = describe(conn, t);
      if (schema == null) {
        continue;
      }
      if (grants != null && !grants.canSelect(t.database(), t.table())) {
        privilegeIssue(
            grants,
            "user '" + source.connection().username() + "' has no SELECT privilege on table " + t.qualifiedName()
                + ", needed to snapshot it; grant it with GRANT SELECT ON " + quote(t.database()) + "."
                + quote(t.table()) + " TO ...");
      }
      tables.add(schema);
      rows.put(schema.tableId(), estimateRows(conn, t));
    }
    tables.sort((a, b) -> a.tableId().compareTo(b.tableId()));
    return new SourceDiscovery(tables, rows, problems, warnings);
  }

  private void checkServer(Connection conn) throws SQLException {
    String where = source.connection().hostname() + ":" + source.connection().port();
    String version;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT VERSION()")) {
      rs.next();
      version = rs.getString(1);
    }
    mariaDb = version != null && version.toLowerCase(Locale.ROOT).contains("mariadb");
    if (!mariaDb) {
      warnings.add(
          "the server at " + where + " runs MySQL " + version + "; Tributary's MySQL source is verified against "
              + "MariaDB 10.11 only, MySQL 8 is untested");
    }
    Map<String, String> vars = new HashMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(VARIABLES_SQL)) {
      while (rs.next()) {
        vars.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
      }
    }
    String logBin = vars.getOrDefault("log_bin", "OFF");
    if (!"ON".equalsIgnoreCase(logBin) && !"1".equals(logBin)) {
      problems.add(
          new ConfigProblem(
              path,
              0,
              "the server at " + where + " runs without a binary log (log_bin=" + logBin + "); change data capture "
                  + "reads changes from the binlog: start the server with log_bin, binlog_format=ROW and "
                  + "binlog_row_image=FULL"));
    }
    String format = vars.getOrDefault("binlog_format", "");
    if (!"ROW".equalsIgnoreCase(format)) {
      problems.add(
          new ConfigProblem(
              path,
              0,
              "the server at " + where + " logs with binlog_format=" + format + "; Tributary reads row events, "
                  + "which only binlog_format=ROW writes for every change (STATEMENT and MIXED log SQL text): set "
                  + "binlog_format=ROW in the server configuration"));
    }
    String image = vars.getOrDefault("binlog_row_image", "FULL");
    if (!"FULL".equalsIgnoreCase(image)) {
      problems.add(
          new ConfigProblem(
              path,
              0,
              "the server at " + where + " logs with binlog_row_image=" + image + ": updates then carry only the "
                  + "changed columns (and the key) and deletes only the key, so after images would lack unchanged "
                  + "columns and before images all but the key (Flink CDC refuses to start); set "
                  + "binlog_row_image=FULL"));
    }
    String valueOptions = vars.getOrDefault("binlog_row_value_options", "").trim();
    if (!valueOptions.isEmpty()) {
      problems.add(
          new ConfigProblem(
              path,
              0,
              "the server at " + where + " logs with binlog_row_value_options=" + valueOptions + ": partial JSON "
                  + "updates lose the full after image; clear binlog_row_value_options"));
    }
    String legacyPos = vars.get("binlog_legacy_event_pos");
    if (legacyPos != null && !"ON".equalsIgnoreCase(legacyPos) && !"1".equals(legacyPos)) {
      problems.add(
          new ConfigProblem(
              path,
              0,
              "the server at " + where + " runs with binlog_legacy_event_pos=" + legacyPos + ": MariaDB 11.4+ then "
                  + "reports binlog positions the binlog reader cannot use (negative positions); set "
                  + "binlog_legacy_event_pos=ON"));
    }
    checkTimeZone(conn, where);
    checkServerId(conn, where);
  }

  /** The server's own id must lie outside the binlog clients' ids: a replica with the master's id is refused. */
  private void checkServerId(Connection conn, String where) throws SQLException {
    long serverId;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@server_id")) {
      rs.next();
      serverId = rs.getLong(1);
    }
    MySqlServerIds ids = source.serverIds();
    if (serverId >= ids.first() && serverId <= ids.last()) {
      String key = MySqlSourceOptions.SERVER_ID.key();
      problems.add(
          new ConfigProblem(
              path + "." + key,
              source.line(key),
              "the server at " + where + " has server_id " + serverId + ", inside this source's binlog client ids "
                  + ids + "; every binlog client needs an id of its own: choose another " + key + " range"));
    }
  }

  /** Compares the server's current UTC offset with {@code server-time-zone}'s (as Flink CDC does at job start). */
  private void checkTimeZone(Connection conn, String where) throws SQLException {
    ZoneId zone;
    try {
      zone = ZoneId.of(source.serverTimeZone());
    } catch (RuntimeException e) {
      return; // validated by the factory
    }
    int serverOffset;
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT TIME_TO_SEC(TIMEDIFF(NOW(), UTC_TIMESTAMP()))")) {
      rs.next();
      serverOffset = rs.getInt(1);
    }
    Instant now = Instant.now();
    int offset = zone.getRules().getOffset(now).getTotalSeconds();
    boolean dst = zone.getRules().isDaylightSavings(now);
    boolean matches = Math.abs(serverOffset - offset) <= TIME_ZONE_TOLERANCE_SECONDS
        || dst && Math.abs(serverOffset - (offset - 3600)) <= TIME_ZONE_TOLERANCE_SECONDS;
    if (!matches) {
      String key = MySqlSourceOptions.SERVER_TIME_ZONE.key();
      problems.add(
          new ConfigProblem(
              path + "." + key,
              source.line(key),
              "the server at " + where + " runs " + formatOffset(serverOffset) + " from UTC, but " + key + " is "
                  + zone.getId() + " (" + formatOffset(offset) + "); TIMESTAMP columns would be read shifted: set "
                  + key + " to the server's time_zone"));
    }
  }

  private static String formatOffset(int seconds) {
    int abs = Math.abs(seconds);
    return (seconds < 0 ? "-" : "+") + String.format("%02d:%02d", abs / 3600, abs / 60 % 60);
  }

  /** Reads SHOW GRANTS and reports missing server-wide privileges; null when the grants cannot be read. */
  private MySqlGrants readGrants(Connection conn) {
    List<String> lines = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SHOW GRANTS FOR CURRENT_USER")) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    } catch (SQLException e) {
      warnings.add("cannot read the grants of user '" + source.connection().username() + "' (" + e.getMessage()
          + "); privileges were not checked");
      return null;
    }
    MySqlGrants grants = MySqlGrants.parse(lines);
    String user = source.connection().username();
    if (!grants.hasGlobal("REPLICATION SLAVE")) {
      privilegeIssue(
          grants,
          "user '" + user + "' lacks the REPLICATION SLAVE privilege, needed to read the binlog; grant it with "
              + "GRANT REPLICATION SLAVE ON *.* TO ...");
    }
    if (!grants.hasGlobal("REPLICATION CLIENT", "BINLOG MONITOR", "SUPER")) {
      privilegeIssue(
          grants,
          "user '" + user + "' lacks " + (mariaDb ? "the BINLOG MONITOR privilege (MariaDB 10.5+'s name for "
              + "REPLICATION CLIENT)" : "the REPLICATION CLIENT privilege") + ", needed for SHOW MASTER STATUS and "
              + "SHOW BINARY LOGS (binlog positions of snapshot chunks); grant it with GRANT "
              + (mariaDb ? "BINLOG MONITOR" : "REPLICATION CLIENT") + " ON *.* TO ...");
    }
    if (!grants.hasGlobal("RELOAD")) {
      warnings.add(
          "user '" + user + "' lacks the RELOAD privilege; Tributary's lock-free incremental snapshot does not "
              + "need it (it never runs FLUSH TABLES), but Debezium's documentation lists it");
    }
    return grants;
  }

  /** A missing privilege: a problem, or a warning when roles (not inspected) may supply it. */
  private void privilegeIssue(MySqlGrants grants, String message) {
    if (!grants.roles().isEmpty()) {
      warnings.add(message + " (unless one of the roles " + grants.roles() + " grants it; roles are not inspected)");
      return;
    }
    String key = MySqlSourceOptions.USERNAME.key();
    problems.add(new ConfigProblem(path + "." + key, source.line(key), message));
  }

  private Map<String, CatalogTable> listTables(Connection conn) throws SQLException {
    Map<String, CatalogTable> out = new LinkedHashMap<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(TABLES_SQL)) {
      while (rs.next()) {
        long tableRows = rs.getLong(3);
        boolean rowsKnown = !rs.wasNull();
        CatalogTable t =
            new CatalogTable(rs.getString(1), rs.getString(2), rowsKnown ? tableRows : -1, rs.getLong(4));
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
          "'" + entry + "' is neither a db.table name nor a valid regular expression: " + e.getDescription());
      return null;
    }
    for (CatalogTable t : all.values()) {
      if (pattern.matcher(t.qualifiedName()).matches()) {
        out.add(t);
      }
    }
    return out;
  }

  /** Removes the tables {@code tables.exclude} matches; an entry that removes nothing is a warning. */
  private void applyExcludes(Map<String, CatalogTable> matched) {
    String key = MySqlSourceOptions.TABLES_EXCLUDE.key();
    for (String entry : source.excludePatterns()) {
      Pattern pattern;
      try {
        pattern = Pattern.compile(entry);
      } catch (PatternSyntaxException e) {
        problems.add(
            new ConfigProblem(
                path + "." + key,
                source.line(key),
                "'" + entry + "' is not a valid regular expression: " + e.getDescription()));
        continue;
      }
      boolean removed = matched.keySet().removeIf(name -> pattern.matcher(name).matches());
      if (!removed) {
        warnings.add(key + " entry '" + entry + "' excludes none of the tables that tables matched");
      }
    }
  }

  /** Maps a table's columns and reads its primary key; null (with problems recorded) if it cannot be captured. */
  private TableSchema describe(Connection conn, CatalogTable t) throws SQLException {
    String name = t.qualifiedName();
    if (t.database().indexOf(',') >= 0 || t.table().indexOf(',') >= 0) {
      tableProblem("table " + name + " has a comma in its name, which Debezium's table lists cannot express; "
          + "rename it or leave it out");
      return null;
    }
    Set<String> jsonColumns = mariaDb ? mariaDbJsonColumns(conn, t) : Set.of();
    boolean ok = true;
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(COLUMNS_SQL)) {
      ps.setString(1, t.database());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String column = rs.getString(1);
          String dataType = rs.getString(2);
          String columnType = rs.getString(3);
          boolean nullable = "YES".equalsIgnoreCase(rs.getString(4));
          Integer precision = intOrNull(rs, 5);
          Integer scale = intOrNull(rs, 6);
          try {
            columns.add(
                MySqlTypeMapping.map(
                    column, dataType, columnType, nullable, precision, scale, jsonColumns.contains(column)));
          } catch (MySqlTypeMapping.UnmappedTypeException e) {
            tableProblem("table " + name + " column " + column + " " + e.getMessage());
            ok = false;
          }
        }
      }
    }
    if (columns.isEmpty() && ok) {
      tableProblem("table " + name + " has no columns visible to user '" + source.connection().username() + "'");
      return null;
    }
    List<String> primaryKey = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(PRIMARY_KEY_SQL)) {
      ps.setString(1, t.database());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          primaryKey.add(rs.getString(1));
        }
      }
    }
    if (primaryKey.isEmpty()) {
      tableProblem(
          "table " + name + " has no primary key; Tributary needs one (message keys, record keys and snapshot "
              + "chunks are derived from it): add one with ALTER TABLE " + quote(t.database()) + "."
              + quote(t.table()) + " ADD PRIMARY KEY (...)");
      ok = false;
    }
    if (!ok) {
      return null;
    }
    return new TableSchema(new TableId(t.database(), null, t.table()), columns, primaryKey);
  }

  /** The columns of a MariaDB table declared {@code json} (a {@code json_valid} column constraint). */
  private Set<String> mariaDbJsonColumns(Connection conn, CatalogTable t) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement ps = conn.prepareStatement(MARIADB_JSON_CHECKS_SQL)) {
      ps.setString(1, t.database());
      ps.setString(2, t.table());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String clause = rs.getString(1);
          Matcher m = clause == null ? null : JSON_VALID_CLAUSE.matcher(clause);
          if (m != null && m.matches()) {
            out.add(m.group(1).replace("``", "`"));
          }
        }
      }
    }
    return out;
  }

  private long estimateRows(Connection conn, CatalogTable t) throws SQLException {
    if (t.tableRows() > 0) {
      return t.tableRows();
    }
    // InnoDB statistics lag behind fresh tables: count small ones, leave big ones unknown
    if (t.dataLength() > COUNT_LIMIT_BYTES) {
      return -1;
    }
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + quote(t.database()) + "." + quote(t.table()))) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      return -1; // no SELECT privilege: reported as a problem already
    }
  }

  private static Integer intOrNull(ResultSet rs, int index) throws SQLException {
    long v = rs.getLong(index);
    return rs.wasNull() ? null : (int) Math.min(v, Integer.MAX_VALUE);
  }

  private void tableProblem(String message) {
    String key = MySqlSourceOptions.TABLES.key();
    problems.add(new ConfigProblem(path + "." + key, source.line(key), message));
  }

  /** Quotes an identifier for SQL: {@code `name`}, doubling embedded backticks. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** A row of information_schema.TABLES we care about. */
  private record CatalogTable(String database, String table, long tableRows, long dataLength) {
    String qualifiedName() {
      return database + "." + table;
    }
  }
}
