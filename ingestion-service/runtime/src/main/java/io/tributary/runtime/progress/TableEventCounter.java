package io.tributary.runtime.progress;

import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Op;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Passes change events through unchanged and counts them per table in Flink metrics: group {@code tributary},
 * key/value group {@code table=<database.schema.table>}, counters {@code snapshotRows} (op r) and {@code changes}
 * (op c/u/d). Chained right after the source; the terminal progress and the demo read these counters.
 */
public final class TableEventCounter extends RichMapFunction<ChangeEvent, ChangeEvent> {
  private static final long serialVersionUID = 1L;

  /** Name of the metric group all Tributary counters live under. */
  public static final String GROUP = "tributary";
  /** Key of the key/value group naming the table. */
  public static final String TABLE_KEY = "table";
  /** Counter of snapshot rows (op r) per table. */
  public static final String SNAPSHOT_ROWS = "snapshotRows";
  /** Counter of log changes (op c, u, d) per table. */
  public static final String CHANGES = "changes";

  private transient Map<String, Counter[]> counters;
  private transient MetricGroup group;

  @Override
  public void open(OpenContext openContext) {
    counters = new HashMap<>();
    group = getRuntimeContext().getMetricGroup().addGroup(GROUP);
  }

  @Override
  public ChangeEvent map(ChangeEvent event) {
    String table = event.tableId().toString();
    Counter[] c = counters.get(table);
    if (c == null) {
      MetricGroup g = group.addGroup(TABLE_KEY, table);
      c = new Counter[] {g.counter(SNAPSHOT_ROWS), g.counter(CHANGES)};
      counters.put(table, c);
    }
    c[event.op() == Op.READ ? 0 : 1].inc();
    return event;
  }
}
