package io.tributary.sink.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** A Flink metric reporter for tests: keeps every metric registered, by its full identifier. */
public final class CapturingMetricReporter implements MetricReporter, MetricReporterFactory {
  /** Metrics by identifier ({@code <scope>.<name>}, dot-delimited). */
  public static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new CapturingMetricReporter();
  }

  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    METRICS.put(group.getMetricIdentifier(metricName), metric);
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {}

  /** Sum of the counters whose identifier ends with {@code suffix}. */
  public static long count(String suffix) {
    return METRICS.entrySet().stream()
        .filter(e -> e.getKey().endsWith(suffix) && e.getValue() instanceof org.apache.flink.metrics.Counter)
        .mapToLong(e -> ((org.apache.flink.metrics.Counter) e.getValue()).getCount())
        .sum();
  }
}
