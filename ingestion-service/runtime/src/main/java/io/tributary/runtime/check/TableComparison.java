package io.tributary.runtime.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of comparing one table's rows in the source with one sink: keys missing from the sink, keys only in
 * the sink, and keys whose column values differ (a column the sink lacks counts as a difference), with up to five
 * example keys each.
 *
 * @param table table id as text
 * @param sink sink name ({@code kafka-0}, {@code hudi-1})
 * @param sourceRows rows in the source
 * @param sinkRows rows in the sink
 * @param missing keys in the source and not in the sink
 * @param extra keys in the sink and not in the source
 * @param differing keys in both whose values differ
 * @param examples a few example keys with what is wrong, for the report
 */
public record TableComparison(
    String table, String sink, int sourceRows, int sinkRows, int missing, int extra, int differing,
    List<String> examples) {
  private static final int MAX_EXAMPLES = 5;

  /** Whether source and sink hold exactly the same rows. */
  public boolean matches() {
    return missing == 0 && extra == 0 && differing == 0;
  }

  /** Compares two sides of one table. */
  public static TableComparison compare(TableRows source, TableRows sink) {
    int missing = 0;
    int extra = 0;
    int differing = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : source.rows().entrySet()) {
      Map<String, String> other = sink.rows().get(e.getKey());
      if (other == null) {
        missing++;
        example(examples, "missing key " + e.getKey());
      } else {
        for (Map.Entry<String, String> col : e.getValue().entrySet()) {
          if (!other.containsKey(col.getKey()) || !Objects.equals(col.getValue(), other.get(col.getKey()))) {
            differing++;
            example(examples, "key " + e.getKey() + " column " + col.getKey() + ": source '" + col.getValue()
                + "', " + sink.side() + (other.containsKey(col.getKey()) ? " '" + other.get(col.getKey()) + "'" : " has no such column"));
            break;
          }
        }
      }
    }
    for (String k : sink.rows().keySet()) {
      if (!source.rows().containsKey(k)) {
        extra++;
        example(examples, "extra key " + k);
      }
    }
    return new TableComparison(source.table().tableId().toString(), sink.side(), source.size(), sink.size(),
        missing, extra, differing, List.copyOf(examples));
  }

  private static void example(List<String> examples, String s) {
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(s);
    }
  }
}
