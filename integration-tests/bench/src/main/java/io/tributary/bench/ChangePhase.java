package io.tributary.bench;

import java.io.PrintStream;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * One streaming phase, measured the same way for Tributary and for the peer: the generator applies changes at a
 * rate for a while, then the phase waits (3 min at most) until the Kafka probe has read as many change records.
 *
 * @param rate the phase's name: changes/s, or {@code max}
 * @param applied changes applied
 * @param offered changes/s the database accepted (the phase's ceiling)
 * @param sustained changes / (first -> last change read from Kafka), or null when not all arrived in time
 * @param probe what the Kafka probe recorded (latencies, LSNs)
 */
record ChangePhase(String rate, long applied, double offered, Double sustained, KafkaProbe.Phase probe) {
  /** Checks the pipeline under test while waiting (throws if it died). */
  @FunctionalInterface
  interface Check {
    void run() throws Exception;
  }

  /** Changes per second of a phase name, 0 for {@code max} (flat out). */
  static int target(String rate) {
    return rate.equals("max") ? 0 : Integer.parseInt(rate);
  }

  /**
   * Runs a phase.
   *
   * @param check called every 20 ms while waiting for Kafka
   * @throws Exception from the generator or {@code check}
   */
  static ChangePhase run(String rate, int seconds, ChangeGenerator gen, KafkaProbe kafka, Check check, PrintStream out)
      throws Exception {
    int target = target(rate);
    int txSize = target == 0 ? 50 : Math.max(10, target / 1000);
    out.printf("  phase %s changes/s for %d s (transactions of %d changes) ...%n", rate, seconds, txSize);
    KafkaProbe.Phase phase = kafka.begin(rate);
    long start = System.nanoTime();
    long applied = gen.run(Duration.ofSeconds(seconds), target, txSize);
    double offered = applied / ((System.nanoTime() - start) / 1e9);
    boolean drained = awaitRecords(phase, applied, kafka, check, out);
    Double sustained = drained ? applied / ((phase.lastNanos() - phase.firstNanos()) / 1e9) : null;
    return new ChangePhase(rate, applied, offered, sustained, phase);
  }

  /** Waits until {@code phase} saw {@code expected} change records (3 min at most); false on time-out. */
  static boolean awaitRecords(KafkaProbe.Phase phase, long expected, KafkaProbe kafka, Check check, PrintStream out)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (phase.records() < expected) {
      if (System.nanoTime() > deadline) {
        out.printf("    WARNING: %,d of %,d changes reached Kafka within 3 min%n", phase.records(), expected);
        return false;
      }
      kafka.check();
      check.run();
      Thread.sleep(20);
    }
    return true;
  }

  /** Kafka latency histogram (µs). */
  Histogram latency() {
    return probe.latency();
  }

  /** A percentile of a histogram of µs, in ms; null when it is empty. */
  static Double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? null : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
