package io.tributary.source.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The runtime's job jar carries both shaded Flink CDC connectors (this source's {@code flink-sql-connector-mysql-cdc}
 * and the postgres source's {@code flink-sql-connector-postgres-cdc}, both 3.5.0). They bundle the same libraries
 * (Debezium core 1.9.8, the relocated Kafka Connect API, relocated Guava/Jackson, flink-cdc-common,
 * flink-connector-debezium), so whichever copy a class loader finds first must behave like the other. This test puts
 * both on one classpath (the postgres jar is a test dependency) and compares every entry they share.
 */
class ShadedCdcJarsTest {
  /**
   * The one class both jars carry in different builds: Jackson's deny list of gadget classes, whose HikariCP entries
   * the MySQL jar relocated along with HikariCP itself (a string constant; no behaviour a CDC source relies on).
   */
  private static final String KNOWN_DIFFERENT_CLASS =
      "org/apache/flink/cdc/connectors/shaded/com/fasterxml/jackson/databind/jsontype/impl/SubTypeValidator.class";

  private static JarFile jarOf(String className) throws IOException {
    URL url = ShadedCdcJarsTest.class.getClassLoader().getResource(className.replace('.', '/') + ".class");
    assertThat(url).as(className).isNotNull();
    assertThat(url.getProtocol()).isEqualTo("jar");
    return ((JarURLConnection) url.openConnection()).getJarFile();
  }

  @Test
  void classesBundledByBothShadedJarsAreIdentical() throws Exception {
    try (JarFile mysql = jarOf("org.apache.flink.cdc.connectors.mysql.source.MySqlSource");
        JarFile postgres = jarOf("org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder")) {
      assertThat(mysql.getName()).contains("flink-sql-connector-mysql-cdc-3.5.0");
      assertThat(postgres.getName()).contains("flink-sql-connector-postgres-cdc-3.5.0");
      Map<String, JarEntry> mysqlEntries = entries(mysql);
      int shared = 0;
      int sharedClasses = 0;
      List<String> differentClasses = new ArrayList<>();
      List<String> differentOther = new ArrayList<>();
      Enumeration<JarEntry> e = postgres.entries();
      while (e.hasMoreElements()) {
        JarEntry p = e.nextElement();
        JarEntry m = mysqlEntries.get(p.getName());
        if (p.isDirectory() || m == null) {
          continue;
        }
        shared++;
        boolean isClass = p.getName().endsWith(".class") && !p.getName().startsWith("META-INF/");
        sharedClasses += isClass ? 1 : 0;
        if (!Arrays.equals(read(mysql, m), read(postgres, p))) {
          (isClass ? differentClasses : differentOther).add(p.getName());
        }
      }
      // measured with Flink CDC 3.5.0: 8784 shared entries
      assertThat(shared).isGreaterThan(8000);
      assertThat(sharedClasses).isGreaterThan(7000);
      assertThat(differentClasses).containsExactly(KNOWN_DIFFERENT_CLASS);
      // metadata and service registrations (each jar registers its own connector): a merged jar must concatenate
      // service files (the runtime's shade plugin uses ServicesResourceTransformer)
      assertThat(differentOther)
          .containsExactlyInAnyOrder(
              "META-INF/DEPENDENCIES",
              "META-INF/MANIFEST.MF",
              "META-INF/NOTICE",
              "META-INF/versions/11/module-info.class",
              "META-INF/services/org.apache.flink.table.factories.Factory",
              "META-INF/services/io.debezium.converters.spi.CloudEventsProvider",
              "META-INF/services/io.debezium.metadata.ConnectorMetadataProvider");
      String deny = new String(read(mysql, mysqlEntries.get(KNOWN_DIFFERENT_CLASS)), StandardCharsets.ISO_8859_1);
      assertThat(deny).contains("org.apache.flink.cdc.connectors.shaded.com.zaxxer.hikari.HikariConfig");
    }
  }

  @Test
  void bothSourcesLoadSideBySide() throws Exception {
    // the MySQL source and the postgres source's Flink CDC classes, plus the Debezium API both compile against
    Class.forName("org.apache.flink.cdc.connectors.postgres.source.PostgresSourceBuilder$PostgresIncrementalSource");
    Class.forName("io.debezium.connector.postgresql.PostgresConnectorConfig");
    Class.forName("io.debezium.connector.mysql.MySqlConnectorConfig");
    // STACK.md item 4's symptom of mixing shaded and unshaded Debezium: Field.withType missing
    assertThat(Class.forName("io.debezium.config.Field").getMethod("withType",
        Class.forName("org.apache.flink.cdc.connectors.shaded.org.apache.kafka.common.config.ConfigDef$Type")))
        .isNotNull();
    org.apache.flink.cdc.connectors.mysql.source.MySqlSource<io.tributary.schema.ChangeEvent> source =
        org.apache.flink.cdc.connectors.mysql.source.MySqlSource.<io.tributary.schema.ChangeEvent>builder()
            .hostname("127.0.0.1")
            .port(3306)
            .databaseList("shop")
            .tableList("shop\\.orders")
            .username("cdc")
            .password("")
            .serverId("5400-5401")
            .deserializer(
                new MySqlChangeEventDeserializer("p", List.of(MySqlChangeEventDeserializerTest.allTypes())))
            .build();
    assertThat(source.getBoundedness())
        .isEqualTo(org.apache.flink.api.connector.source.Boundedness.CONTINUOUS_UNBOUNDED);
  }

  private static Map<String, JarEntry> entries(JarFile jar) {
    Map<String, JarEntry> out = new TreeMap<>();
    Enumeration<JarEntry> e = jar.entries();
    while (e.hasMoreElements()) {
      JarEntry j = e.nextElement();
      out.put(j.getName(), j);
    }
    return out;
  }

  private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
    try (InputStream in = jar.getInputStream(entry)) {
      return in.readAllBytes();
    }
  }
}
