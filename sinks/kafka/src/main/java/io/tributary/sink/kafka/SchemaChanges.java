package io.tributary.sink.kafka;

import io.tributary.schema.CompatibilityLevel;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Explains why a schema change breaks a compatibility level, with Avro's reader/writer compatibility check (Avro
 * specification, "Schema Resolution"): BACKWARD reads the latest data with the new schema, FORWARD reads new data
 * with the latest schema, FULL checks both. Used when the registry rejects a schema without giving reasons.
 *
 * <p>Avro stops at a nullable record that changed ("reader union lacking writer type: RECORD", the envelope's
 * {@code before}/{@code after}); this class then compares the two records themselves, so the message names the
 * column, for example {@code field customer: reader union lacking writer type: STRING (MISSING_UNION_BRANCH)}.
 */
final class SchemaChanges {
  private SchemaChanges() {}

  /**
   * @param level the subject's level, or null when unknown (then both directions are checked)
   * @param proposed the schema being registered
   * @param latest the subject's latest schema
   * @return one line per incompatibility; empty when Avro finds none (the registry may apply stricter rules)
   */
  static List<String> explain(CompatibilityLevel level, Schema proposed, Schema latest) {
    List<String> out = new ArrayList<>();
    boolean backward = level == null || level.name().startsWith("BACKWARD") || level.name().startsWith("FULL");
    boolean forward = level == null || level.name().startsWith("FORWARD") || level.name().startsWith("FULL");
    if (backward) {
      describe("the new schema cannot read data written with the latest one", proposed, latest, "", out);
    }
    if (forward) {
      describe("the latest schema cannot read data written with the new one", latest, proposed, "", out);
    }
    return out;
  }

  private static void describe(String direction, Schema reader, Schema writer, String prefix, List<String> out) {
    if (out.size() > 20) {
      return;
    }
    SchemaCompatibility.SchemaPairCompatibility c = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    for (SchemaCompatibility.Incompatibility i : c.getResult().getIncompatibilities()) {
      Schema readerRecord = i.getReaderFragment() == null ? null : nullableRecord(i.getReaderFragment());
      Schema writerRecord = nullableRecord(i.getWriterFragment());
      String where = prefix + path(reader, i.getLocation());
      if (i.getType() == SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH && readerRecord != null
          && writerRecord != null && readerRecord.getFullName().equals(writerRecord.getFullName())) {
        // the envelope's before/after hold the same row record: describe its fields once, by column
        describe(direction, readerRecord, writerRecord, "", out);
      } else {
        String line = direction + ": " + (where.isEmpty() ? "" : "field " + where + ": ") + i.getMessage() + " ("
            + i.getType() + ")";
        if (!out.contains(line)) {
          out.add(line);
        }
      }
    }
  }

  /** The record inside a record or a union with a record branch, else null. */
  private static Schema nullableRecord(Schema s) {
    if (s == null) {
      return null;
    }
    if (s.getType() == Schema.Type.RECORD) {
      return s;
    }
    if (s.getType() == Schema.Type.UNION) {
      for (Schema b : s.getTypes()) {
        if (b.getType() == Schema.Type.RECORD) {
          return b;
        }
      }
    }
    return null;
  }

  /** Turns Avro's JSON-pointer location ({@code /fields/1/type/1}) into field names ({@code customer}). */
  static String path(Schema root, String location) {
    if (location == null) {
      return "";
    }
    List<String> names = new ArrayList<>();
    Schema current = root;
    String[] parts = location.split("/");
    for (int i = 0; i < parts.length && current != null; i++) {
      String p = parts[i];
      if (p.equals("fields") && current.getType() == Schema.Type.RECORD && i + 1 < parts.length) {
        try {
          Schema.Field f = current.getFields().get(Integer.parseInt(parts[++i]));
          names.add(f.name());
          current = f.schema();
        } catch (RuntimeException e) {
          break;
        }
      } else if (current.getType() == Schema.Type.UNION && p.matches("\\d+")) {
        int b = Integer.parseInt(p);
        current = b < current.getTypes().size() ? current.getTypes().get(b) : null;
      }
    }
    return String.join(".", names);
  }
}
