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
    FileTime finished = Files.exists(finishedMarker(stateDir)) ? mtime0(finishedMarker(stateDir)) : null;
    Optional<Path> a = newest(checkpointDir(stateDir), 2).filter(p -> finished == null || mtime(p).compareTo(finished) > 0);
    Optional<Path> b = newest(savepointDir(stateDir), 1).filter(p -> finished == null || mtime(p).compareTo(finished) > 0);
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return mtime(a.get()).compareTo(mtime(b.get())) >= 0 ? a : b;
  }

  /**
   * The marker written when a job ended by itself (a bounded {@code startup.mode: snapshot} run): checkpoints and
   * savepoints older than it belong to a finished pipeline and are never resumed from.
   */
  public static Path finishedMarker(Path stateDir) {
    return stateDir.resolve("finished");
  }

  /**
   * Records that the pipeline's job ended by itself.
   *
   * @throws UncheckedIOException if the marker cannot be written
   */
  public static void markFinished(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
      Files.writeString(finishedMarker(stateDir), java.time.Instant.now().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + finishedMarker(stateDir), e);
    }
  }

  /**
   * Moves savepoints completed at or after {@code since} aside ({@code savepoints/.invalid-<name>}), so that no run
   * resumes from them. Used when a stop with savepoint failed after the savepoint was written: Flink may have
   * restarted the job from an older checkpoint and rolled back what the savepoint's sinks had prepared.
   *
   * @return the savepoints moved
   */
  public static java.util.List<Path> invalidateSavepointsSince(Path stateDir, java.time.Instant since) {
    java.util.List<Path> moved = new java.util.ArrayList<>();
    Path root = savepointDir(stateDir);
    if (!Files.isDirectory(root)) {
      return moved;
    }
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && Files.isRegularFile(p.resolve("_metadata"))
            && !mtime(p).toInstant().isBefore(since)) {
          Path target = root.resolve(".invalid-" + name);
          Files.move(p, target);
          moved.add(target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move savepoints aside under " + root, e);
    }
    return moved;
  }

  /** The file that records which tables a pipeline's checkpoints cover: {@code <stateDir>/tables.txt}. */
  public static Path tablesFile(Path stateDir) {
    return stateDir.resolve("tables.txt");
  }

  /**
   * Guards a resume against a changed table list. Tables added since the checkpoint are fine: the sources restore
   * with Flink CDC's newly-added-table scan, which snapshots only the new tables and then streams them with the
   * others. Tables removed are refused: their snapshot and log state would be kept or dropped silently. On a fresh
   * start (or when the lists match or only grew) records the current list.
   *
   * @param resuming whether a checkpoint or savepoint will be restored
   * @return the tables added since the checkpoint (empty on a fresh start)
   * @throws IllegalStateException if resuming and tables were removed since the checkpoints, naming them
   * @throws UncheckedIOException if the list cannot be read or written
   */
  public static java.util.List<String> checkTables(
      Path stateDir, java.util.List<io.tributary.schema.TableSchema> tables, boolean resuming) {
    java.util.List<String> now = tables.stream().map(t -> t.tableId().toString()).sorted().toList();
    Path file = tablesFile(stateDir);
    java.util.List<String> added = java.util.List.of();
    try {
      if (resuming && Files.isRegularFile(file)) {
        java.util.List<String> before = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).sorted().toList();
        java.util.List<String> removed = before.stream().filter(t -> !now.contains(t)).toList();
        if (!removed.isEmpty()) {
          throw new IllegalStateException("the pipeline's tables changed since its last checkpoint in " + stateDir
              + " (removed " + removed + "): its checkpointed source state still holds them. Keep them in the "
              + "declaration, or start a new pipeline (another name or state.dir)");
        }
        added = now.stream().filter(t -> !before.contains(t)).toList();
      }
      Files.createDirectories(stateDir);
      Files.write(file, now);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or write " + file, e);
    }
    return added;
  }

  private static Optional<Path> newest(Path root, int depth) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.walk(root, depth)) {
      return s.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
          .max(Comparator.comparing(Checkpoints::mtime).thenComparing(Checkpoints::number));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  /** The {@code n} of a {@code chk-n} directory (0 for savepoints), to break modification-time ties. */
  private static long number(Path dir) {
    String name = dir.getFileName().toString();
    if (name.startsWith("chk-")) {
      try {
        return Long.parseLong(name.substring(4));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static FileTime mtime0(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
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
