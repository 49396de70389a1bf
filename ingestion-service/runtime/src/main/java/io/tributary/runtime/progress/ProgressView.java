package io.tributary.runtime.progress;

import io.tributary.runtime.PipelinePlan;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal view of a running pipeline: a progress bar of snapshot rows read out of the estimated total, with
 * tables done, events/s over the last interval and records written per sink as its message. Reads
 * {@link ProgressMetrics}; call {@link #refresh()} periodically (every 0.5-1 s).
 */
public final class ProgressView implements AutoCloseable {
  private final PipelinePlan plan;
  private final ProgressBar bar;
  private long lastEvents;
  private long lastNanos = System.nanoTime();
  private double eventsPerSecond;

  /**
   * @param out where the bar is drawn (the terminal); the bar needs no other output on it while it runs
   */
  public ProgressView(PipelinePlan plan, PrintStream out) {
    this.plan = plan;
    this.bar =
        new ProgressBarBuilder()
            .setTaskName("snapshot")
            .setInitialMax(Math.max(1, plan.estimatedRows()))
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out, 140))
            .showSpeed()
            .setUnit(" rows", 1)
            .build();
  }

  /** Reads the counters and redraws. */
  public void refresh() {
    Map<String, Long> m = ProgressMetrics.snapshot();
    long snapshot = 0;
    long changes = 0;
    Map<String, Long> sinks = new TreeMap<>();
    for (Map.Entry<String, Long> e : m.entrySet()) {
      String k = e.getKey();
      if (k.endsWith("." + TableEventCounter.SNAPSHOT_ROWS)) {
        snapshot += e.getValue();
      } else if (k.endsWith("." + TableEventCounter.CHANGES)) {
        changes += e.getValue();
      } else if (k.startsWith("tributary.sink.")) {
        String rest = k.substring("tributary.sink.".length());
        sinks.merge(rest.substring(0, rest.lastIndexOf('.')), e.getValue(), Long::sum);
      }
    }
    long events = snapshot + changes;
    long now = System.nanoTime();
    double secs = (now - lastNanos) / 1e9;
    if (secs >= 0.9) {
      eventsPerSecond = (events - lastEvents) / secs;
      lastEvents = events;
      lastNanos = now;
    }
    if (snapshot > bar.getMax()) {
      bar.maxHint(snapshot);
    }
    bar.stepTo(snapshot);
    StringBuilder msg = new StringBuilder(" · ");
    msg.append(plan.tables().size()).append(" tables · ")
        .append(changes).append(" changes · ")
        .append(String.format("%.0f ev/s", eventsPerSecond));
    sinks.forEach((name, n) -> msg.append(" · ").append(name).append(' ').append(n));
    String text = msg.toString();
    if (!text.equals(bar.getExtraMessage())) {
      bar.setExtraMessage(text);
      // the bar redraws by itself only when its progress moves; after the snapshot only the message does
      bar.refresh();
    }
  }

  /** Ends the bar with the last values read (the job's counters may already be gone when this is called). */
  @Override
  public void close() {
    bar.close();
  }
}
