package io.tributary.runtime.progress;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates {@link ProgressMetrics}; named in {@code metrics.reporter.tributary.factory.class}. */
public final class ProgressMetricsFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new ProgressMetrics();
  }
}
