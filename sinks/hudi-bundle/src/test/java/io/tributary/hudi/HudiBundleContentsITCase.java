package io.tributary.hudi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the shaded jar built by {@code package}: what is relocated, what is left out, what is not duplicated. */
class HudiBundleContentsITCase {
  private static List<String> entries;

  @BeforeAll
  static void readJar() throws IOException {
    Path jar = Path.of(System.getProperty("bundle.jar", "target/none.jar"));
    if (!Files.exists(jar)) {
      throw new IllegalStateException("no shaded jar at " + jar + "; run mvn verify (failsafe sets bundle.jar)");
    }
    try (JarFile f = new JarFile(jar.toFile())) {
      entries = f.stream().map(JarEntry::getName).collect(Collectors.toList());
    }
  }

  @Test
  void containsTheHudiJavaClientAndItsNeeds() {
    assertThat(entries)
        .contains("org/apache/hudi/client/HoodieJavaWriteClient.class")
        .contains("org/apache/parquet/avro/AvroParquetWriter.class")
        .contains("io/airlift/compress/hadoop/HadoopInputStream.class");
  }

  @Test
  void relocatesKryoObjenesisAndGuava() {
    assertThat(entries).anyMatch(e -> e.startsWith("io/tributary/hudi/shaded/com/esotericsoftware/kryo/"));
    assertThat(entries).anyMatch(e -> e.startsWith("io/tributary/hudi/shaded/org/objenesis/"));
    assertThat(entries).noneMatch(e -> e.startsWith("com/esotericsoftware/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/objenesis/"));
    assertThat(entries).noneMatch(e -> e.startsWith("com/google/common/"));
  }

  @Test
  void leavesOutAvroHadoopRocksDbAndTheTimelineServer() {
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/avro/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/hadoop/fs/") || e.startsWith("org/apache/hadoop/conf/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/rocksdb/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/hudi/timeline/service/"));
    assertThat(entries).noneMatch(e -> e.startsWith("org/apache/curator/") || e.startsWith("org/apache/zookeeper/"));
  }
}
