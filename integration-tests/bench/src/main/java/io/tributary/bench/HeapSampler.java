package io.tributary.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Peak heap of this JVM while a measurement runs (the embedded Flink job runs in this JVM, so it is the job's heap
 * plus the benchmark's small share), in two figures: the peak of used heap sampled every 50 ms (garbage included: it
 * follows the allocation rate and how large G1 lets the young generation grow), and the peak of heap still used right
 * after a garbage collection (from the JVM's GC notifications: the live set, an upper bound of what the job needs).
 */
public final class HeapSampler implements AutoCloseable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onGc;
  private volatile boolean running = true;
  private volatile long peak;
  private volatile long peakAfterGc;

  /** Runs a GC (so that the previous measurement's garbage does not count) and starts sampling. */
  public HeapSampler() {
    System.gc();
    peak = memory.getHeapMemoryUsage().getUsed();
    peakAfterGc = peak;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter e) {
        e.addNotificationListener(listener, null, null);
        emitters.add(e);
      }
    }
    thread = new Thread(this::loop, "heap-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void onGc(Notification n, Object handback) {
    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
      return;
    }
    GcInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
    long used = 0;
    for (var e : info.getMemoryUsageAfterGc().entrySet()) {
      if (isHeapPool(e.getKey())) {
        MemoryUsage u = e.getValue();
        used += u.getUsed();
      }
    }
    peakAfterGc = Math.max(peakAfterGc, used);
  }

  private static boolean isHeapPool(String name) {
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals(name)) {
        return pool.getType() == java.lang.management.MemoryType.HEAP;
      }
    }
    return false;
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

  /** Peak used heap (sampled, garbage included) since construction, in MiB. */
  public double peakMiB() {
    return peak / 1048576.0;
  }

  /** Peak heap still used after a garbage collection since construction, in MiB. */
  public double peakAfterGcMiB() {
    return peakAfterGc / 1048576.0;
  }

  /** The JVM's maximum heap ({@code -Xmx}) in MiB. */
  public static double maxMiB() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax() / 1048576.0;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // already gone
      }
    }
  }
}
