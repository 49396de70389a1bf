package io.tributary.sink.hudi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temp-directory clean-up for tests. */
final class TestFiles {
  private TestFiles() {}

  /** Deletes a directory tree; does nothing for null or a missing path, or when the environment has TRIBUTARY_TEST_KEEP=true. */
  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    if ("true".equals(System.getenv("TRIBUTARY_TEST_KEEP"))) {
      System.err.println("kept test directory " + dir);
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort
    }
  }
}
