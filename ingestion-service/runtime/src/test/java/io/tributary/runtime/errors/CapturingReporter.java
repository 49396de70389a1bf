package io.tributary.runtime.errors;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter for tests that keeps the last value of every {@code tributary} counter, also after the
 * task that owned it ended (Tributary's progress reporter drops those). Keys are metric identifiers from
 * {@code tributary.} on, e.g. {@code tributary.validate.recordsSkipped}.
 */
public final class CapturingReporter implements MetricReporter, MetricReporterFactory {
  private static final Map<String, Counter> LIVE = new ConcurrentHashMap<>();
  private static final Map<String, Long> ENDED = new ConcurrentHashMap<>();

  @Override
  public MetricReporter createMetricReporter(java.util.Properties properties) {
    return this;
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    String key = key(metricName, group);
    if (key != null && metric instanceof Counter) {
      LIVE.put(key, (Counter) metric);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    String key = key(metricName, group);
    if (key != null && metric instanceof Counter) {
      ENDED.merge(key, ((Counter) metric).getCount(), Long::sum);
      LIVE.remove(key);
    }
  }

  private static String key(String metricName, MetricGroup group) {
    String id = group.getMetricIdentifier(metricName);
    int at = id.indexOf("tributary.");
    return at < 0 ? null : id.substring(at);
  }

  /** The counter's value (sum over ended and live instances), 0 when never registered. */
  static long count(String key) {
    Counter live = LIVE.get(key);
    return ENDED.getOrDefault(key, 0L) + (live == null ? 0 : live.getCount());
  }

  /** Every key seen, for assertion messages. */
  static java.util.Set<String> keys() {
    java.util.Set<String> out = new java.util.TreeSet<>(ENDED.keySet());
    out.addAll(LIVE.keySet());
    return out;
  }

  /** Forgets everything. */
  static void reset() {
    LIVE.clear();
    ENDED.clear();
  }
}
