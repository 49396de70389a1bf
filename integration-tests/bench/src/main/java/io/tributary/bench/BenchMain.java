package io.tributary.bench;

import io.tributary.embedded.TempDirs;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tributary bench}: starts embedded PostgreSQL, Kafka and Apicurio on 127.0.0.1 and runs the snapshot,
 * streaming and peer scenarios (see {@link SnapshotBench}, {@link StreamingBench}, {@link PeerBench}), printing one
 * table per scenario with each figure's ratio to its ceiling, and writing the same figures as JSON. Exit code 0 when
 * every scenario ran (the figures are reported, never judged), 1 when one failed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Measure snapshot and streaming throughput and latency next to ceilings and the Debezium engine.")
public final class BenchMain implements Callable<Integer> {
  @Mixin BenchOptions options = new BenchOptions();

  @Option(names = "--json", defaultValue = ".tributary/bench-result.json", description = "JSON output (default ${DEFAULT-VALUE})")
  Path json;

  @Option(names = "--keep", description = "keep the work directory (lake, Flink state, logs)")
  boolean keep;

  private final PrintStream out = System.out;

  /** Entry point; exits with the command's exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Report report = new Report();
    machine(report);
    report.parameters().putAll(options.describe());
    Path work = Files.createTempDirectory("tributary-bench");
    out.println("Starting PostgreSQL, Kafka and Apicurio Registry on 127.0.0.1 (work dir " + work + ")");
    try (BenchServices services = BenchServices.start(work)) {
      if (options.runs("snapshot")) {
        new SnapshotBench(services, options, out).run(report);
      }
      if (options.runs("streaming")) {
        new StreamingBench(services, options, out).run(report);
      }
      if (options.runs("peer")) {
        new PeerBench(services, options, out).run(report);
      }
    } finally {
      report.print(out);
      if (json.getParent() != null) {
        Files.createDirectories(json.getParent());
      }
      report.writeJson(json);
      out.printf("%nFigures written to %s; benchmark took %.0f s.%n", json.toAbsolutePath(), (System.nanoTime() - started) / 1e9);
      if (keep) {
        out.println("Kept " + work);
      } else {
        TempDirs.deleteQuietly(work);
      }
    }
    return 0;
  }

  private static void machine(Report report) {
    report.machine().put("cores", Runtime.getRuntime().availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      report.machine().put("memoryGiB", Math.round(os.getTotalMemorySize() / 1073741824.0));
    }
    report.machine().put("cpu", cpuModel());
    report.machine().put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report.machine().put("heapMaxMiB", Math.round(HeapSampler.maxMiB()));
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }
}
