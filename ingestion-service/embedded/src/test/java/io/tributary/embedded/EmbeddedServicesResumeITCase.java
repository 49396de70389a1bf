package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each service started twice on the same data directory keeps what the first run wrote (the demo resumes). */
class EmbeddedServicesResumeITCase {

  @TempDir
  Path dir;

  @Test
  void postgresKeepsDatabasesAndReplicationSlots() throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
      pg.createDatabase("shop");
      try (Connection c = pg.connect("shop"); Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        s.execute("INSERT INTO t VALUES (7)");
        s.execute("SELECT pg_create_logical_replication_slot('resume_it', 'pgoutput')");
      }
    }
    assertThat(data.resolve("PG_VERSION")).exists();
    try (EmbeddedPostgres pg = EmbeddedPostgres.start(data)) {
      pg.createDatabase("shop"); // exists: no error
      try (Connection c = pg.connect("shop"); Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("SELECT id FROM t")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getInt(1)).isEqualTo(7);
        }
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'resume_it'")) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(1);
        }
        s.execute("SELECT pg_drop_replication_slot('resume_it')");
      }
    }
    assertThat(data.resolve("PG_VERSION")).as("kept data directory").exists();
  }

  @Test
  void kafkaKeepsTopicsAndCommittedOffsets() throws Exception {
    Path logs = dir.resolve("kafka");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(logs)) {
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
          ProducerConfig.TRANSACTIONAL_ID_CONFIG, "resume-it"), new StringSerializer(), new StringSerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("resume-it", "k", "before restart"));
        producer.commitTransaction();
      }
    }
    assertThat(logs.resolve("meta.properties")).exists();
    try (EmbeddedKafka kafka = EmbeddedKafka.start(logs)) {
      assertThat(read(kafka.bootstrapServers(), "resume-it", 1)).containsExactly("before restart");
    }
  }

  private static List<String> read(String bootstrap, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "resume-it",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }

  @Test
  void apicurioKeepsSchemaIds() throws Exception {
    Path storage = dir.resolve("registry");
    String schema = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}";
    HttpClient http = HttpClient.newHttpClient();
    String id;
    try (EmbeddedApicurio registry = EmbeddedApicurio.start(storage)) {
      HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
              URI.create(registry.ccompatUrl() + "/subjects/resume-value/versions"))
          .header("Content-Type", "application/vnd.schemaregistry.v1+json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"" + schema.replace("\"", "\\\"") + "\"}",
              StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
      Matcher m = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(registered.body());
      assertThat(m.find()).isTrue();
      id = m.group(1);
    }
    try (EmbeddedApicurio registry = EmbeddedApicurio.start(storage)) {
      HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(
          URI.create(registry.ccompatUrl() + "/schemas/ids/" + id)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
      assertThat(fetched.body().replace("\\\"", "\"").replaceAll("\\s", "")).contains(schema);
    }
  }
}
