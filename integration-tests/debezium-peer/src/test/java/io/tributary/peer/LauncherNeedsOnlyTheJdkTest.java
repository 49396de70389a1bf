package io.tributary.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Consumers depend on this artifact with every transitive dependency excluded: the launcher side (configuration,
 * protocol, process control) must load and work with nothing but the JDK and this module's own classes.
 */
class LauncherNeedsOnlyTheJdkTest {

  @Test
  void launcherClassesWorkInAClassLoaderWithOnlyTheJdkAndThisModule() throws Exception {
    URL classes = DebeziumPeerProcess.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> isolated.loadClass("org.apache.kafka.connect.storage.Converter"))
          .as("the isolated loader must not see any dependency")
          .isInstanceOf(ClassNotFoundException.class);
    }
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> event = Class.forName(PeerEvent.class.getName(), true, isolated);
      Object parsed = event.getMethod("parse", String.class).invoke(null, "{\"event\":\"progress\",\"acked\":3}");
      assertThat(event.getMethod("getLong", String.class).invoke(parsed, "acked")).isEqualTo(3L);

      Class<?> config = Class.forName(DebeziumPeerConfig.class.getName(), true, isolated);
      Object builder = config.getMethod("builder").invoke(null);
      Class<?> b = builder.getClass();
      b.getMethod("database", String.class, int.class, String.class, String.class, String.class)
          .invoke(builder, "127.0.0.1", 5432, "db", "u", "p");
      b.getMethod("table", String.class).invoke(builder, "public.t");
      b.getMethod("slotAndPublication", String.class, String.class).invoke(builder, "s", "p");
      b.getMethod("kafka", String.class, String.class).invoke(builder, "127.0.0.1:9092", "x");
      b.getMethod("registry", String.class).invoke(builder, "http://127.0.0.1:1/apis/ccompat/v7");
      b.getMethod("workDir", Path.class).invoke(builder, Path.of("work"));
      Object built = b.getMethod("build").invoke(builder);
      assertThat(config.getMethod("topic").invoke(built)).isEqualTo("x.public.t");

      Class<?> process = Class.forName(DebeziumPeerProcess.class.getName(), true, isolated);
      Method classpath = process.getDeclaredMethod("classpath");
      classpath.setAccessible(true);
      List<String> entries = Arrays.asList(((String) classpath.invoke(null)).split(File.pathSeparator));
      assertThat(entries.get(0)).isEqualTo(Path.of(classes.toURI()).toString());
      assertThat(entries)
          .anyMatch(e -> e.contains("debezium-embedded-"))
          .anyMatch(e -> e.contains("debezium-connector-postgres-"))
          .anyMatch(e -> e.endsWith("apicurio-registry-utils-converter-3.0.9.jar"))
          .allMatch(e -> Files.exists(Path.of(e)));
    }
  }
}
