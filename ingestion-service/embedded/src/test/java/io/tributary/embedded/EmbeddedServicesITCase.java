package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each embedded service once and proves it works for real: logical decoding on PostgreSQL, transactions
 * on Kafka, the Confluent-compatible API on Apicurio, loopback-only sockets for the child processes.
 */
class EmbeddedServicesITCase {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServicesITCase.class);
  private static final Map<String, Long> START_MILLIS = new LinkedHashMap<>();

  private static EmbeddedPostgres postgres;
  private static EmbeddedKafka kafka;
  private static EmbeddedApicurio apicurio;

  @BeforeAll
  static void startServices() {
    long t0 = System.nanoTime();
    postgres = EmbeddedPostgres.start();
    long t1 = System.nanoTime();
    kafka = EmbeddedKafka.start();
    long t2 = System.nanoTime();
    apicurio = EmbeddedApicurio.start();
    long t3 = System.nanoTime();
    START_MILLIS.put("postgres", (t1 - t0) / 1_000_000);
    START_MILLIS.put("kafka", (t2 - t1) / 1_000_000);
    START_MILLIS.put("apicurio", (t3 - t2) / 1_000_000);
    LOG.info("start times (ms): {}", START_MILLIS);
  }

  @AfterAll
  static void stopServices() {
    List<ChildProcess> children = new ArrayList<>();
    if (kafka != null) {
      children.add(kafka.process());
    }
    if (apicurio != null) {
      children.add(apicurio.process());
    }
    long t0 = System.nanoTime();
    if (apicurio != null) {
      apicurio.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    LOG.info("all services stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    for (ChildProcess child : children) {
      assertThat(child.isAlive()).as("%s still running after close()", child).isFalse();
      assertThat(child.logFile()).as("temporary files of %s", child).doesNotExist();
    }
  }

  @Test
  void postgresIsReadyForLogicalDecoding() throws SQLException {
    assertThat(postgres.jdbcUrl("shop")).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/shop");
    try (Connection c = postgres.connect("postgres")) {
      assertThat(show(c, "wal_level")).isEqualTo("logical");
      assertThat(show(c, "max_replication_slots")).isEqualTo("20");
      assertThat(show(c, "max_wal_senders")).isEqualTo("20");
      assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
    }

    postgres.createDatabase("shop");
    postgres.createDatabase("shop"); // idempotent, as a resumed demo calls it again

    Properties credentials = new Properties();
    credentials.setProperty("user", postgres.user());
    credentials.setProperty("password", postgres.password());
    try (Connection c = java.sql.DriverManager.getConnection(postgres.jdbcUrl("shop"), credentials);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE orders (id INT PRIMARY KEY, amount NUMERIC(10,2))");
      s.execute("ALTER TABLE orders REPLICA IDENTITY FULL");
      s.execute("CREATE PUBLICATION tributary_it FOR TABLE orders");
      try (ResultSet rs = s.executeQuery(
          "SELECT slot_name, lsn FROM pg_create_logical_replication_slot('tributary_it', 'pgoutput')")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("slot_name")).isEqualTo("tributary_it");
        assertThat(rs.getString("lsn")).matches("[0-9A-F]+/[0-9A-F]+");
      }
      s.execute("INSERT INTO orders VALUES (1, 9.99)");
      // the slot sees the change: pgoutput's binary messages, peeked without consuming them
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_logical_slot_peek_binary_changes("
          + "'tributary_it', NULL, NULL, 'proto_version', '1', 'publication_names', 'tributary_it')")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).as("pgoutput messages for BEGIN, RELATION, INSERT, COMMIT").isGreaterThanOrEqualTo(3);
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT plugin, slot_type, database FROM pg_replication_slots WHERE slot_name = 'tributary_it'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("plugin")).isEqualTo("pgoutput");
        assertThat(rs.getString("slot_type")).isEqualTo("logical");
        assertThat(rs.getString("database")).isEqualTo("shop");
      }
      s.execute("SELECT pg_drop_replication_slot('tributary_it')"); // STACK.md item 19
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + setting)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void kafkaCommitsAndAbortsTransactions() throws Exception {
    String topic = "tributary-it-tx";
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }

    Map<String, Object> producerConfig = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tributary-it-tx-1",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.ACKS_CONFIG, "all");
    long commitNanos;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, "committed-" + i));
      }
      long t = System.nanoTime();
      producer.commitTransaction();
      commitNanos = System.nanoTime() - t;

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k9", "aborted"));
      producer.flush();
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k3", "committed-3"));
      producer.commitTransaction();
    }
    LOG.info("Kafka transaction commit took {} ms", commitNanos / 1_000_000);

    Map<String, Object> consumerConfig = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "tributary-it",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < 4 && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
      consumer.commitSync();
    }
    assertThat(values).containsExactlyInAnyOrder("committed-0", "committed-1", "committed-2", "committed-3");
  }

  @Test
  void apicurioServesTheConfluentApi() throws Exception {
    assertThat(apicurio.ccompatUrl()).isEqualTo("http://127.0.0.1:" + apicurio.port() + "/apis/ccompat/v7");
    String schema = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":"
        + "[{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"amount\",\"type\":\"double\"}]}";
    String body = "{\"schemaType\":\"AVRO\",\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}";
    HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
            URI.create(apicurio.ccompatUrl() + "/subjects/x-value/versions"))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(registered.body());
    assertThat(id.find()).as(registered.body()).isTrue();

    HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(
            URI.create(apicurio.ccompatUrl() + "/schemas/ids/" + id.group(1))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
    assertThat(unescape(fetched.body()).replaceAll("\\s", "")).contains(schema);

    HttpResponse<String> subjects = http.send(HttpRequest.newBuilder(
            URI.create(apicurio.ccompatUrl() + "/subjects")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(subjects.body()).contains("\"x-value\"");
  }

  private static String unescape(String json) {
    return json.replace("\\\"", "\"");
  }

  @Test
  void childProcessesListenOnLoopbackOnly() throws Exception {
    for (ChildProcess child : List.of(kafka.process(), apicurio.process())) {
      List<String> addresses = ListeningSockets.of(child.pid());
      assertThat(addresses).as("listening sockets of %s", child).isNotEmpty();
      assertThat(addresses).as("listening sockets of %s", child).allMatch(a -> a.startsWith("127.0.0.1:"));
    }
    assertThat(ListeningSockets.of(kafka.process().pid()))
        .contains("127.0.0.1:" + kafka.port(), "127.0.0.1:" + kafka.controllerPort());
    assertThat(ListeningSockets.of(apicurio.process().pid())).contains("127.0.0.1:" + apicurio.port());
  }
}
