package io.tributary.runtime.progress;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * An in-JVM Flink metric reporter that keeps Tributary's counters ({@code tributary.table.<t>.snapshotRows},
 * {@code tributary.table.<t>.changes}, {@code tributary.sink.<name>.recordsWritten}) so that the CLI can show
 * progress while a job runs on the embedded MiniCluster. Only counters under the {@code tributary} group are kept
 * (one entry per counter object, so parallel subtasks never collide); their values are summed when read. Counters of a
 * task that ends or fails are dropped, so after a failover the sums restart from what the new attempt emits.
 *
 * <p>Registered through {@link ProgressMetricsFactory}; state is static because Flink instantiates the reporter.
 */
public final class ProgressMetrics implements MetricReporter {
  private static final Map<String, Counter> COUNTERS = new ConcurrentHashMap<>();

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (!(metric instanceof Counter)) {
      return;
    }
    String key = key(metricName, group);
    if (key != null) {
      COUNTERS.put(key + "#" + System.identityHashCode(metric), (Counter) metric);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    // keep the last value of a finished or failed attempt out of the sums: drop it
    String key = key(metricName, group);
    if (key != null) {
      COUNTERS.remove(key + "#" + System.identityHashCode(metric));
    }
  }

  private static String key(String metricName, MetricGroup group) {
    String id = group.getMetricIdentifier(metricName);
    int at = id.indexOf(TableEventCounter.GROUP + ".");
    return at < 0 ? null : id.substring(at);
  }

  /**
   * Current sums per counter, keyed {@code tributary.table.<table>.<counter>} or
   * {@code tributary.sink.<sink>.<counter>}, sorted by key.
   */
  public static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    COUNTERS.forEach((k, c) -> out.merge(k.substring(0, k.indexOf('#')), c.getCount(), Long::sum));
    return out;
  }

  /** Sum of the counters whose key starts with {@code prefix} and ends with {@code suffix}. */
  public static long sum(String prefix, String suffix) {
    long total = 0;
    for (Map.Entry<String, Long> e : snapshot().entrySet()) {
      if (e.getKey().startsWith(prefix) && e.getKey().endsWith(suffix)) {
        total += e.getValue();
      }
    }
    return total;
  }

  /** Forgets every counter; call before starting a new job in the same JVM. */
  public static void reset() {
    COUNTERS.clear();
  }
}
