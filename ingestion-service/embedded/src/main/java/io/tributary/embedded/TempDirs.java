package io.tributary.embedded;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and removes the temporary directories of the embedded services. */
public final class TempDirs {

  private static final Logger LOG = LoggerFactory.getLogger(TempDirs.class);

  private TempDirs() {}

  /** File in each temporary directory naming the JVM that owns it: {@code <pid> <start instant>}. */
  static final String OWNER_FILE = "owner.pid";

  /**
   * Creates a temporary directory owned by this JVM, after deleting the directories with the same prefix whose
   * owner JVM is gone (left behind by a JVM killed outright, whose shutdown hooks never ran).
   *
   * @param prefix the directory name prefix, e.g. {@code tributary-kafka-}
   * @return a new empty directory under {@code java.io.tmpdir} (except for the owner file)
   * @throws EmbeddedServiceException when it cannot be created
   */
  static Path create(String prefix) {
    Path base = Paths.get(System.getProperty("java.io.tmpdir"));
    sweepOrphans(base, prefix);
    try {
      Path dir = Files.createTempDirectory(base, prefix);
      Files.writeString(dir.resolve(OWNER_FILE), ownerTag(ProcessHandle.current()));
      return dir;
    } catch (IOException e) {
      throw new EmbeddedServiceException("cannot create a temporary directory " + base.resolve(prefix) + "*", e);
    }
  }

  private static String ownerTag(ProcessHandle process) {
    return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("?");
  }

  static void sweepOrphans(Path base, String prefix) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, prefix + "*")) {
      for (Path dir : dirs) {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.isRegularFile(owner)) {
          continue; // not ours, or being created right now
        }
        String tag = Files.readString(owner).trim();
        long pid = Long.parseLong(tag.split(" ")[0]);
        boolean alive = ProcessHandle.of(pid).map(p -> ownerTag(p).equals(tag)).orElse(false);
        if (!alive) {
          LOG.info("deleting {}, left behind by process {} that no longer runs", dir, pid);
          deleteQuietly(dir);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("could not sweep {}{}*: {}", base, prefix, e.toString());
    }
  }

  /**
   * Deletes a directory tree; logs (does not throw) when something cannot be deleted. A missing directory is fine.
   *
   * @param dir the directory to delete; may be null
   */
  public static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete {} entirely: {}", dir, e.toString());
    }
  }
}
