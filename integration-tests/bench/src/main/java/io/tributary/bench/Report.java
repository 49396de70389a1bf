package io.tributary.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's results: one section (a printed table) per scenario, each row an ordered map from column name to a
 * value (String, Long, Double, or null for "not applicable"), plus the machine and parameters. {@link #print} writes
 * aligned text tables; {@link #writeJson} writes the same figures as JSON ({@code {"machine":{..},"parameters":{..},
 * "sections":[{"title":..,"notes":[..],"rows":[{..}]}]}}).
 */
public final class Report {
  /** One printed table. */
  public static final class Section {
    final String title;
    final List<String> notes = new ArrayList<>();
    final List<Map<String, Object>> rows = new ArrayList<>();

    Section(String title) {
      this.title = title;
    }

    /** Adds a row; keys are column names in print order. */
    public Map<String, Object> row() {
      Map<String, Object> r = new LinkedHashMap<>();
      rows.add(r);
      return r;
    }

    /** Adds a line printed under the table. */
    public void note(String line) {
      notes.add(line);
    }
  }

  private final Map<String, Object> machine = new LinkedHashMap<>();
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final List<Section> sections = new ArrayList<>();

  /** Facts about the machine (cores, memory, JVM). */
  public Map<String, Object> machine() {
    return machine;
  }

  /** The benchmark's parameters. */
  public Map<String, Object> parameters() {
    return parameters;
  }

  /** The sections so far. */
  public List<Section> sections() {
    return sections;
  }

  /** Starts a new section (table). */
  public Section section(String title) {
    Section s = new Section(title);
    sections.add(s);
    return s;
  }

  /** Prints every section as an aligned table. */
  public void print(PrintStream out) {
    out.println();
    out.println("Machine: " + machine);
    out.println("Parameters: " + parameters);
    for (Section s : sections) {
      print(s, out);
    }
  }

  /** Prints one section as an aligned table: numbers right-aligned, doubles with 2 significant decimals. */
  public static void print(Section s, PrintStream out) {
    out.println();
    out.println("== " + s.title);
    List<String> columns = new ArrayList<>();
    for (Map<String, Object> r : s.rows) {
      for (String k : r.keySet()) {
        if (!columns.contains(k)) {
          columns.add(k);
        }
      }
    }
    int[] width = new int[columns.size()];
    List<List<String>> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      width[i] = columns.get(i).length();
    }
    for (Map<String, Object> r : s.rows) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        String v = format(r.get(columns.get(i)));
        width[i] = Math.max(width[i], v.length());
        line.add(v);
      }
      cells.add(line);
    }
    StringBuilder header = new StringBuilder("  ");
    for (int i = 0; i < columns.size(); i++) {
      header.append(i == 0 ? pad(columns.get(i), width[i], true) : "  " + pad(columns.get(i), width[i], false));
    }
    out.println(header);
    for (List<String> line : cells) {
      StringBuilder b = new StringBuilder("  ");
      for (int i = 0; i < line.size(); i++) {
        b.append(i == 0 ? pad(line.get(i), width[i], true) : "  " + pad(line.get(i), width[i], false));
      }
      out.println(b);
    }
    for (String n : s.notes) {
      out.println("  " + n);
    }
  }

  /** Writes the report as JSON. */
  public void writeJson(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("machine", machine);
    root.put("parameters", parameters);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Section s : sections) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("title", s.title);
      m.put("notes", s.notes);
      m.put("rows", s.rows);
      out.add(m);
    }
    root.put("sections", out);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }

  static String format(Object v) {
    if (v == null) {
      return "-";
    }
    if (v instanceof Double d) {
      double a = Math.abs(d);
      if (a >= 1000) {
        return String.format(Locale.ROOT, "%,.0f", d);
      }
      return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.2f", d);
    }
    if (v instanceof Long || v instanceof Integer) {
      return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }
    return v.toString();
  }

  private static String pad(String s, int w, boolean left) {
    if (s.length() >= w) {
      return s;
    }
    String fill = " ".repeat(w - s.length());
    return left ? s + fill : fill + s;
  }

  /** {@code a / b}, or null when either is unknown or b is 0. */
  public static Double ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? null : a / b;
  }
}
