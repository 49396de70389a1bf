package io.tributary.runtime.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

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
  /** At most this many example keys per comparison. */
  public static final int MAX_EXAMPLES = 5;

  /** Whether source and sink hold exactly the same rows. */
  public boolean matches() {
    return missing == 0 && extra == 0 && differing == 0;
  }

  /** Compares two sides of one table, every key of both. */
  public static TableComparison compare(TableRows source, TableRows sink) {
    return of(source.table().tableId().toString(), sink.side(), source.size(), sink.size(),
        differences(source, sink, null).values());
  }

  /**
   * A comparison from differences found earlier, for example those that persisted over several rounds.
   *
   * @param sourceRows rows in the source, as counted by the full read
   * @param sinkRows rows in the sink, as counted by the full read
   * @param differences at most one per key; examples are the first {@value #MAX_EXAMPLES} in the given order
   */
  public static TableComparison of(
      String table, String sink, int sourceRows, int sinkRows, Collection<Difference> differences) {
    int missing = 0;
    int extra = 0;
    int differing = 0;
    List<String> examples = new ArrayList<>();
    for (Difference d : differences) {
      switch (d.kind()) {
        case MISSING:
          missing++;
          break;
        case EXTRA:
          extra++;
          break;
        default:
          differing++;
      }
      if (examples.size() < MAX_EXAMPLES) {
        examples.add(d.description());
      }
    }
    return new TableComparison(table, sink, sourceRows, sinkRows, missing, extra, differing, List.copyOf(examples));
  }

  /**
   * The keys whose rows differ between source and sink, sorted by key.
   *
   * @param keys the keys to look at; null for every key of both sides. A key absent from both sides is no
   *     difference (a row deleted meanwhile, for example).
   * @return differences by key, sorted by key; empty when the sides agree
   */
  public static SortedMap<String, Difference> differences(TableRows source, TableRows sink, Collection<String> keys) {
    SortedMap<String, Difference> out = new TreeMap<>();
    if (keys == null) {
      for (String k : source.rows().keySet()) {
        diff(source, sink, k, out);
      }
      for (String k : sink.rows().keySet()) {
        if (!source.rows().containsKey(k)) {
          diff(source, sink, k, out);
        }
      }
    } else {
      for (String k : keys) {
        diff(source, sink, k, out);
      }
    }
    return out;
  }

  private static void diff(TableRows source, TableRows sink, String key, Map<String, Difference> out) {
    Map<String, String> expected = source.rows().get(key);
    Map<String, String> actual = sink.rows().get(key);
    if (expected == null && actual == null) {
      return;
    }
    if (actual == null) {
      out.put(key, new Difference(Difference.Kind.MISSING, key, "missing key " + key));
    } else if (expected == null) {
      out.put(key, new Difference(Difference.Kind.EXTRA, key, "extra key " + key));
    } else {
      for (Map.Entry<String, String> col : expected.entrySet()) {
        if (!actual.containsKey(col.getKey()) || !Objects.equals(col.getValue(), actual.get(col.getKey()))) {
          String what = "key " + key + " column " + col.getKey() + ": source '" + col.getValue() + "', " + sink.side()
              + (actual.containsKey(col.getKey()) ? " '" + actual.get(col.getKey()) + "'" : " has no such column");
          out.put(key, new Difference(Difference.Kind.DIFFERING, key, what));
          return;
        }
      }
    }
  }

  /**
   * One key whose row differs between source and sink.
   *
   * @param kind missing from the sink, extra in the sink, or differing values
   * @param key the key as {@link TableRows#keyOf} renders it
   * @param description what differs, for reports: {@code missing key 7}, {@code extra key 9},
   *     {@code key 2 column v: source 'a', kafka-0 'b'} (the first differing column)
   */
  public record Difference(Kind kind, String key, String description) {
    /** How a key differs. */
    public enum Kind {
      /** In the source, not in the sink. */
      MISSING,
      /** In the sink, not in the source. */
      EXTRA,
      /** In both, with different values. */
      DIFFERING
    }
  }
}
