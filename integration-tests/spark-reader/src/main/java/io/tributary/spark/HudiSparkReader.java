package io.tributary.spark;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reads Hudi tables the way a lakehouse user does, with Spark 3.5 and the Hudi Spark bundle, for tests of other
 * modules. Spark always runs in a child JVM ({@link HudiTableDump}), never in the caller's: the Hudi Spark bundle and
 * Tributary's Hudi Java-client bundle carry the same {@code org.apache.hudi} packages built differently (STACK.md
 * pitfall 18). This class needs only the JDK, so consumers depend on this artifact with all transitive dependencies
 * excluded.
 *
 * <p>The child JVM runs on the runtime classpath recorded when this module was built ({@code
 * io/tributary/spark/classpath.txt}, absolute paths into the local Maven repository) plus this module's own jar or
 * classes directory, with {@code -Xmx1g}, the JDK 17 {@code --add-opens} list Spark needs (STACK.md pitfall 10), and
 * Spark on {@code local[1]} bound to 127.0.0.1 with the UI off. One call starts one child JVM (about 10-20 s on a
 * 2-core machine), so read several tables with {@link #readAll} where possible.
 *
 * <p>Rows come back sorted by record key; each is a map from column name to value in table column order, without
 * Hudi's {@code _hoodie_*} meta columns. Value classes: String (strings, decimals as plain decimal strings, binary as
 * base64), Long (every integral number, dates as days since 1970-01-01, timestamps as microseconds since the epoch),
 * Double (float and double), Boolean, or null; see {@link HudiTableDump} for the exact mapping.
 */
public final class HudiSparkReader {
  /** How long one child JVM may run before it is killed: 5 minutes. */
  public static final long DEFAULT_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

  /** The {@code --add-opens} flags Spark 3.5 needs on JDK 17 (as in Spark's own launcher scripts). */
  static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false");

  private HudiSparkReader() {}

  /**
   * Reads one table with a snapshot query.
   *
   * @param table the table's base path (a local directory)
   * @return every row, sorted by record key; never null
   * @throws IllegalStateException if the child JVM fails or times out; the message holds the end of its stderr
   */
  public static List<Map<String, Object>> read(Path table) {
    return readAll(List.of(table), Map.of()).get(table);
  }

  /**
   * Reads several tables in one child JVM.
   *
   * @param tables base paths of the tables, at least one
   * @param options Hudi data source read options applied to every table, for example {@code
   *     hoodie.datasource.query.type=read_optimized}; may be empty
   * @return rows per table (in the order given), each list sorted by record key
   * @throws IllegalStateException if the child JVM fails or times out; the message holds the end of its stderr
   * @throws IllegalArgumentException if {@code tables} is empty
   */
  public static Map<Path, List<Map<String, Object>>> readAll(List<Path> tables, Map<String, String> options) {
    if (tables.isEmpty()) {
      throw new IllegalArgumentException("no table to read");
    }
    Path work = null;
    try {
      work = Files.createTempDirectory("tributary-spark-reader-");
      Path out = work.resolve("rows.jsonl");
      List<String> args = new ArrayList<>();
      args.add("--out");
      args.add(out.toString());
      options.forEach((k, v) -> {
        args.add("--option");
        args.add(k + "=" + v);
      });
      for (Path t : tables) {
        args.add(t.toAbsolutePath().toString());
      }
      runChild(HudiTableDump.class.getName(), args, List.of(), work, "Spark read " + tables);
      return parse(Files.readAllLines(out, StandardCharsets.UTF_8), tables);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the Spark reader for " + tables, e);
    } finally {
      if (work != null) {
        deleteQuietly(work);
      }
    }
  }

  /**
   * Runs a main class in a child JVM on the Spark classpath (see the class comment) and waits for it.
   *
   * @param extraClasspath entries put before the recorded classpath (for example test classes)
   * @param work the child's working and temp directory; its stdout and stderr go to files there
   * @param what what the child does, for messages
   * @throws IllegalStateException if the child exits with a non-zero code or runs longer than {@link
   *     #DEFAULT_TIMEOUT_MS}; the message holds the end of its stderr
   */
  static void runChild(String mainClass, List<String> args, List<String> extraClasspath, Path work, String what)
      throws IOException {
    Path err = work.resolve("stderr.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.addAll(JVM_FLAGS);
    cmd.add("-Djava.io.tmpdir=" + work);
    cmd.add("-Dlog4j2.configurationFile=io/tributary/spark/log4j2-dump.properties");
    cmd.add("-cp");
    List<String> cp = new ArrayList<>(extraClasspath);
    cp.add(classpath());
    cmd.add(String.join(File.pathSeparator, cp));
    cmd.add(mainClass);
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectOutput(work.resolve("stdout.log").toFile())
            .redirectError(err.toFile())
            .start();
    boolean done;
    try {
      done = p.waitFor(DEFAULT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    }
    if (!done) {
      p.destroyForcibly();
      throw new IllegalStateException(
          what + ": the child JVM did not finish within " + DEFAULT_TIMEOUT_MS + " ms; stderr ends with:\n" + tail(err));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          what + ": the child JVM failed (exit code " + p.exitValue() + "); stderr ends with:\n" + tail(err));
    }
  }

  /** The child JVM's classpath: this module's code location, then the recorded runtime classpath. */
  static String classpath() throws IOException {
    String recorded;
    try (InputStream in = HudiSparkReader.class.getResourceAsStream("classpath.txt")) {
      if (in == null) {
        throw new IllegalStateException(
            "io/tributary/spark/classpath.txt is missing: build tributary-spark-reader with Maven (it records the"
                + " Spark classpath in generate-resources)");
      }
      recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
    String self;
    try {
      self = Path.of(HudiSparkReader.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the tributary-spark-reader classes", e);
    }
    return self + File.pathSeparator + recorded;
  }

  static Map<Path, List<Map<String, Object>>> parse(List<String> lines, List<Path> tables) {
    Map<Path, List<Map<String, Object>>> result = new LinkedHashMap<>();
    List<Map<String, Object>> current = null;
    int index = 0;
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith(HudiTableDump.TABLE_HEADER)) {
        if (index >= tables.size()) {
          throw new IllegalStateException("the Spark reader printed more tables than asked for: " + line);
        }
        current = new ArrayList<>();
        result.put(tables.get(index++), current);
        continue;
      }
      if (current == null) {
        throw new IllegalStateException("the Spark reader printed a row before any table header: " + line);
      }
      current.add(JsonObjects.parse(line));
    }
    if (result.size() != tables.size()) {
      throw new IllegalStateException(
          "the Spark reader printed " + result.size() + " tables, expected " + tables.size());
    }
    return result;
  }

  private static String tail(Path file) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - 60), all.size()));
    } catch (IOException e) {
      return "(stderr unreadable: " + e + ")";
    }
  }

  static void deleteQuietly(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }
}
