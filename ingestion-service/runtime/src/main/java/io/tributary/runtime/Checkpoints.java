package io.tributary.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds where an embedded pipeline resumes from: the newest completed checkpoint or savepoint under its state
 * directory. Layout (Flink's): {@code <state>/checkpoints/<job id>/chk-<n>/_metadata} and
 * {@code <state>/savepoints/savepoint-<id>/_metadata}; a directory without {@code _metadata} is incomplete and ignored.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** {@code <stateDir>/checkpoints}. */
  public static Path checkpointDir(Path stateDir) {
    return stateDir.resolve("checkpoints");
  }

  /** {@code <stateDir>/savepoints}. */
  public static Path savepointDir(Path stateDir) {
    return stateDir.resolve("savepoints");
  }

  /**
   * The newest complete checkpoint or savepoint directory, by the modification time of its {@code _metadata}.
   *
   * @return empty when the pipeline never completed one (a first run)
   * @throws UncheckedIOException if the state directory cannot be listed
   */
  public static Optional<Path> latest(Path stateDir) {
    Optional<Path> a = newest(checkpointDir(stateDir), 2);
    Optional<Path> b = newest(savepointDir(stateDir), 1);
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return mtime(a.get()).compareTo(mtime(b.get())) >= 0 ? a : b;
  }

  private static Optional<Path> newest(Path root, int depth) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.walk(root, depth)) {
      return s.filter(Files::isDirectory)
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(Comparator.comparing(Checkpoints::mtime));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  private static FileTime mtime(Path dir) {
    try {
      return Files.getLastModifiedTime(dir.resolve("_metadata"));
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
