package io.tributary.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Apicurio Registry distribution ({@code io.apicurio:apicurio-registry-app:<version>:tar.gz:all}), unpacked
 * once per machine from the local Maven repository into a cache directory and reused by every later start.
 *
 * <p>Cache directory: system property {@value #CACHE_PROPERTY}, else {@code $XDG_CACHE_HOME/tributary}, else
 * {@code ~/.cache/tributary}. Concurrent first starts (several JVMs, several threads) are serialised by a file
 * lock; the unpacked tree becomes visible only when complete (unpacked beside it, then renamed).
 */
final class ApicurioDistribution {

  /** System property naming the cache directory. */
  static final String CACHE_PROPERTY = "tributary.cache.dir";

  private static final Logger LOG = LoggerFactory.getLogger(ApicurioDistribution.class);
  private static final String COMPLETE_MARKER = ".tributary-complete";
  private static final Object JVM_LOCK = new Object();

  private ApicurioDistribution() {}

  /**
   * Returns the runner jar of the unpacked distribution, unpacking it first if needed.
   *
   * @return the path of {@code apicurio-registry-app-<version>-runner.jar}
   * @throws EmbeddedServiceException when the archive is missing from the local repository, or unpacking fails
   */
  static Path runnerJar() {
    MavenLocalRepository repo = MavenLocalRepository.locate();
    String version = repo.buildProperty("apicurio.version");
    Path home = cacheRoot().resolve("apicurio-registry-" + version);
    Path runner = home.resolve("apicurio-registry-app-" + version + "-runner.jar");
    if (Files.isRegularFile(home.resolve(COMPLETE_MARKER)) && Files.isRegularFile(runner)) {
      return runner;
    }
    Path archive = repo.artifact(repo.buildProperty("apicurio.artifact"));
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(home.getParent());
        Path lockFile = home.getParent().resolve(home.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          if (!Files.isRegularFile(home.resolve(COMPLETE_MARKER))) {
            unpack(archive, home);
          }
        }
      } catch (IOException e) {
        throw new EmbeddedServiceException("cannot unpack " + archive + " into " + home, e);
      }
    }
    if (!Files.isRegularFile(runner)) {
      throw new EmbeddedServiceException("the Apicurio Registry distribution in " + home + " has no " + runner
          .getFileName() + "; delete " + home + " and retry");
    }
    return runner;
  }

  private static void unpack(Path archive, Path home) throws IOException {
    long started = System.nanoTime();
    Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
    try {
      int files = TarGzArchive.extract(archive, staging);
      Files.createFile(staging.resolve(COMPLETE_MARKER));
      TempDirs.deleteQuietly(home); // an incomplete earlier attempt
      try {
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staging, home);
      }
      LOG.info("unpacked {} ({} files) into {} in {} ms", archive.getFileName(), files, home,
          (System.nanoTime() - started) / 1_000_000);
    } finally {
      TempDirs.deleteQuietly(staging);
    }
  }

  /** @return the cache root, not necessarily existing */
  static Path cacheRoot() {
    String explicit = System.getProperty(CACHE_PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      return Paths.get(explicit);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Paths.get(xdg, "tributary");
    }
    return Paths.get(System.getProperty("user.home"), ".cache", "tributary");
  }
}
