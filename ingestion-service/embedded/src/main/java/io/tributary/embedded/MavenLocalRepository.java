package io.tributary.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Finds, in the local Maven repository, the artifacts the build of this module recorded: the Kafka broker's
 * classpath ({@code tributary-embedded/kafka.classpath} and {@code kafka-runtime.classpath}, written by
 * maven-dependency-plugin with paths relative to the repository) and the Apicurio Registry distribution.
 *
 * <p>The repository is, in order: the system property {@value #REPO_PROPERTY}; the system property {@code
 * maven.repo.local}; the repository used by the build ({@code tributary-embedded/build.properties}) when it
 * exists; {@code ~/.m2/repository}.
 */
final class MavenLocalRepository {

  /** System property that overrides the local repository location. */
  static final String REPO_PROPERTY = "tributary.maven.repo";

  private static final String RESOURCE_DIR = "tributary-embedded/";
  private static final String REPO_PLACEHOLDER = "@M2_REPO@";

  private final Path root;
  private final Properties build;

  private MavenLocalRepository(Path root, Properties build) {
    this.root = root;
    this.build = build;
  }

  /**
   * @return the repository this JVM should use
   * @throws EmbeddedServiceException when this module's build resources are missing (a broken jar)
   */
  static MavenLocalRepository locate() {
    Properties build = new Properties();
    try (InputStream in = resource("build.properties")) {
      build.load(in);
    } catch (IOException e) {
      throw new EmbeddedServiceException("cannot read " + RESOURCE_DIR + "build.properties", e);
    }
    return new MavenLocalRepository(chooseRoot(build.getProperty("local.repository")), build);
  }

  private static Path chooseRoot(String buildRepository) {
    String explicit = System.getProperty(REPO_PROPERTY);
    if (explicit == null || explicit.isBlank()) {
      explicit = System.getProperty("maven.repo.local");
    }
    if (explicit != null && !explicit.isBlank()) {
      return Paths.get(explicit);
    }
    if (buildRepository != null && !buildRepository.isBlank() && Files.isDirectory(Paths.get(buildRepository))) {
      return Paths.get(buildRepository);
    }
    return Paths.get(System.getProperty("user.home"), ".m2", "repository");
  }

  /** @return the repository root directory */
  Path root() {
    return root;
  }

  /**
   * @param key a key of {@code build.properties}, e.g. {@code apicurio.version}
   * @return its value
   * @throws EmbeddedServiceException when the key is absent
   */
  String buildProperty(String key) {
    String value = build.getProperty(key);
    if (value == null) {
      throw new EmbeddedServiceException("missing " + key + " in " + RESOURCE_DIR + "build.properties");
    }
    return value;
  }

  /**
   * Reads classpath files written at build time and resolves their entries in this repository.
   *
   * @param resourceNames names under {@code tributary-embedded/}, e.g. {@code kafka.classpath}
   * @return the jars, in file order, without duplicates
   * @throws EmbeddedServiceException when a file is missing from the resources or a jar from the repository
   */
  List<Path> classpath(String... resourceNames) {
    Set<Path> jars = new LinkedHashSet<>();
    for (String name : resourceNames) {
      String text;
      try (InputStream in = resource(name)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new EmbeddedServiceException("cannot read " + RESOURCE_DIR + name, e);
      }
      for (String entry : text.split("[:\\s]+")) {
        if (!entry.isBlank()) {
          jars.add(resolve(entry.trim()));
        }
      }
    }
    List<Path> missing = new ArrayList<>();
    for (Path jar : jars) {
      if (!Files.isRegularFile(jar)) {
        missing.add(jar);
      }
    }
    if (!missing.isEmpty()) {
      throw new EmbeddedServiceException(missing.size() + " jar(s) missing from the local Maven repository "
          + root + ", first " + missing.get(0) + "; run `mvn install -pl ingestion-service/embedded` on this "
          + "machine, or point -D" + REPO_PROPERTY + " at the repository that holds them");
    }
    return new ArrayList<>(jars);
  }

  /**
   * @param relativePath a path inside the repository, e.g. {@code io/apicurio/.../x.tar.gz}
   * @return the file
   * @throws EmbeddedServiceException when it does not exist
   */
  Path artifact(String relativePath) {
    Path file = root.resolve(relativePath);
    if (!Files.isRegularFile(file)) {
      throw new EmbeddedServiceException(file + " is missing from the local Maven repository; run `mvn install "
          + "-pl ingestion-service/embedded` on this machine, or point -D" + REPO_PROPERTY + " at the "
          + "repository that holds it");
    }
    return file;
  }

  private Path resolve(String entry) {
    if (entry.startsWith(REPO_PLACEHOLDER)) {
      return root.resolve(entry.substring(REPO_PLACEHOLDER.length()).replaceFirst("^/+", ""));
    }
    return Paths.get(entry);
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = MavenLocalRepository.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name);
    if (in == null) {
      throw new IOException("resource " + RESOURCE_DIR + name + " not found on the classpath");
    }
    return in;
  }
}
