package io.tributary.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples this JVM's used heap every 50 ms on a daemon thread and keeps the peak. The embedded Flink job runs in this
 * JVM, so during a pipeline run the peak is the job's heap (plus the benchmark's own small share). Garbage not yet
 * collected counts as used, so the peak is an upper bound of the live set; the JVM's {@code -Xmx} is the hard bound.
 */
public final class HeapSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;

  /** Runs a GC (so that the previous scenario's garbage does not count) and starts sampling. */
  public HeapSampler() {
    System.gc();
    peak = memory.getHeapMemoryUsage().getUsed();
    thread = new Thread(this::loop, "heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Peak used heap since construction, in MiB. */
  public double peakMiB() {
    return peak / 1048576.0;
  }

  /** The JVM's maximum heap ({@code -Xmx}) in MiB. */
  public static double maxMiB() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1048576.0;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
