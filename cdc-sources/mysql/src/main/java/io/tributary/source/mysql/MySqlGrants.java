package io.tributary.source.mysql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The privileges a {@code SHOW GRANTS FOR CURRENT_USER} result gives, as far as change data capture cares: global
 * privileges ({@code ON *.*}), database-level ones ({@code ON `db`.*}, database names may hold the {@code LIKE}
 * wildcards {@code %} and {@code _}) and table-level ones ({@code ON `db`.`table`}). Column-level privileges,
 * routine privileges and {@code PROXY} are ignored. Role grants ({@code GRANT `role` TO ...}) are listed in
 * {@link #roles()}; the privileges of roles are not looked up.
 *
 * <p>Understands MariaDB 10.11's and MySQL 8's grant syntax and privilege names: MariaDB 10.5+ calls
 * {@code REPLICATION CLIENT} {@code BINLOG MONITOR} (both are accepted); {@code REPLICATION REPLICA} is read as
 * {@code REPLICATION SLAVE}; {@code ALL [PRIVILEGES]} implies everything. Verified against MariaDB 10.11; MySQL 8 is
 * untested.
 */
final class MySqlGrants {
  private final Set<String> global = new HashSet<>();
  private final Map<Pattern, Set<String>> databases = new LinkedHashMap<>();
  private final Map<String, Set<String>> tables = new HashMap<>();
  private final List<String> roles = new ArrayList<>();

  private MySqlGrants() {}

  /**
   * Parses the rows of {@code SHOW GRANTS}; lines it does not understand are skipped.
   *
   * @param lines the statements, one per row
   */
  static MySqlGrants parse(List<String> lines) {
    MySqlGrants g = new MySqlGrants();
    for (String line : lines) {
      g.add(line);
    }
    return g;
  }

  private void add(String line) {
    String s = line.trim();
    if (!s.regionMatches(true, 0, "GRANT ", 0, 6)) {
      return;
    }
    s = s.substring(6).trim();
    int on = indexOfKeyword(s, "ON");
    int to = indexOfKeyword(s, "TO");
    if (on < 0 || (to >= 0 && to < on)) {
      if (to > 0) {
        roles.add(s.substring(0, to).trim());
      }
      return;
    }
    String privileges = s.substring(0, on).trim();
    String rest = s.substring(on + 2).trim();
    int objectEnd = indexOfKeyword(rest, "TO");
    if (objectEnd < 0) {
      return;
    }
    String object = rest.substring(0, objectEnd).trim();
    String upperObject = object.toUpperCase(Locale.ROOT);
    if (upperObject.startsWith("PROCEDURE ") || upperObject.startsWith("FUNCTION ")
        || upperObject.startsWith("PACKAGE ") || object.startsWith("''") || object.startsWith("'")) {
      return;
    }
    Set<String> privs = new HashSet<>();
    for (String p : splitTopLevel(privileges)) {
      String name = p.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
      if (name.contains("(")) {
        continue; // column-level privilege
      }
      if (name.equals("ALL")) {
        name = "ALL PRIVILEGES";
      }
      if (name.equals("REPLICATION REPLICA")) {
        name = "REPLICATION SLAVE";
      }
      privs.add(name);
    }
    List<String> parts = splitObject(object);
    if (parts.size() != 2) {
      return;
    }
    String db = parts.get(0);
    String table = parts.get(1);
    if (db.equals("*") && table.equals("*")) {
      global.addAll(privs);
    } else if (table.equals("*")) {
      databases.computeIfAbsent(likePattern(db), k -> new HashSet<>()).addAll(privs);
    } else {
      tables.computeIfAbsent(db + "." + table, k -> new HashSet<>()).addAll(privs);
    }
  }

  /** Whether the user holds any of these privileges globally (or ALL PRIVILEGES on *.*). */
  boolean hasGlobal(String... anyOf) {
    if (global.contains("ALL PRIVILEGES")) {
      return true;
    }
    for (String p : anyOf) {
      if (global.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the user may SELECT from a table, by a global, database-level or table-level grant. */
  boolean canSelect(String database, String table) {
    if (hasGlobal("SELECT")) {
      return true;
    }
    for (Map.Entry<Pattern, Set<String>> e : databases.entrySet()) {
      if (e.getKey().matcher(database).matches()
          && (e.getValue().contains("SELECT") || e.getValue().contains("ALL PRIVILEGES"))) {
        return true;
      }
    }
    Set<String> t = tables.get(database + "." + table);
    return t != null && (t.contains("SELECT") || t.contains("ALL PRIVILEGES"));
  }

  /** Roles granted to the user, as written in the grants (their privileges are not inspected). */
  List<String> roles() {
    return roles;
  }

  /** The index of a keyword surrounded by whitespace, outside quotes, backticks and parentheses; -1 if absent. */
  private static int indexOfKeyword(String s, String keyword) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '`' || c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (depth == 0 && i > 0 && Character.isWhitespace(s.charAt(i - 1))
          && s.regionMatches(true, i, keyword, 0, keyword.length())
          && i + keyword.length() < s.length() && Character.isWhitespace(s.charAt(i + keyword.length()))) {
        return i;
      }
    }
    return -1;
  }

  /** Splits a privilege list at commas outside parentheses. */
  private static List<String> splitTopLevel(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    char quote = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '`' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    out.add(s.substring(start));
    return out;
  }

  /** Splits {@code `db`.`table`}, {@code db.*} or {@code *.*} into its two unquoted parts. */
  private static List<String> splitObject(String object) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < object.length(); i++) {
      char c = object.charAt(i);
      if (quoted) {
        if (c == '`') {
          if (i + 1 < object.length() && object.charAt(i + 1) == '`') {
            cur.append('`');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '`') {
        quoted = true;
      } else if (c == '.') {
        parts.add(cur.toString());
        cur.setLength(0);
      } else if (!Character.isWhitespace(c)) {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    return parts;
  }

  /** A database-level grant's name as a regular expression: {@code %} any run, {@code _} one character. */
  static Pattern likePattern(String db) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < db.length(); i++) {
      char c = db.charAt(i);
      if (c == '\\' && i + 1 < db.length()) {
        re.append(Pattern.quote(String.valueOf(db.charAt(++i))));
      } else if (c == '%') {
        re.append(".*");
      } else if (c == '_') {
        re.append('.');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
