package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.embedded.EmbeddedApicurio;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.CompatibilityLevel;
import io.tributary.schema.SourceInfo;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.schema.avro.AvroRecords;
import io.tributary.schema.avro.AvroSchemas;
import io.tributary.schema.registry.CompatibilityCheck;
import io.tributary.schema.registry.RegisteredSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.registry.SchemaRegistryException;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import io.tributary.schema.wire.ConfluentAvroSerializer;
import io.tributary.schema.wire.ConfluentWireFormat;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SchemaRegistryClient} against a real Apicurio Registry 3.0.9 (Confluent-compatible API at {@code
 * /apis/ccompat/v7}), started once for the class.
 */
class SchemaRegistryClientITCase {
  private static final TableId ORDERS = new TableId("shop", "public", "orders");
  private static final String NS = AvroSchemas.namespace("tributary", ORDERS);

  private static EmbeddedApicurio apicurio;
  private static SchemaRegistryClient client;

  @BeforeAll
  static void start() throws Exception {
    apicurio = EmbeddedApicurio.start();
    client = new SchemaRegistryClient(apicurio.ccompatUrl(), Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() throws Exception {
    if (apicurio != null) {
      apicurio.close();
    }
  }

  private static String subject(String name) {
    return "it-" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + "-value";
  }

  private static TableSchema orders(Column... extra) {
    List<Column> cols = new ArrayList<>();
    cols.add(Column.of("id", ColumnKind.INT64, false, "bigint"));
    cols.add(new Column("total", ColumnKind.DECIMAL, false, 10, 2, "numeric(10,2)"));
    cols.add(Column.of("note", ColumnKind.STRING, true, "text"));
    cols.addAll(List.of(extra));
    return new TableSchema(ORDERS, cols, List.of("id"));
  }

  @Test
  void registerIsIdempotentAndLookupGetByIdLatestAgree() {
    String subject = subject("register");
    Schema envelope = AvroSchemas.envelopeSchema(orders(), NS);

    assertThat(client.latest(subject)).isEmpty();
    assertThat(client.lookup(subject, envelope)).isEmpty();

    int id = client.register(subject, envelope);
    assertThat(id).isPositive();
    assertThat(client.register(subject, envelope)).isEqualTo(id);

    // a fresh client has no cache: the server answers
    SchemaRegistryClient fresh = new SchemaRegistryClient(apicurio.ccompatUrl() + "/");
    assertThat(fresh.register(subject, envelope)).isEqualTo(id);
    assertThat(fresh.lookup(subject, envelope)).contains(id);
    assertThat(fresh.getById(id)).isEqualTo(envelope);
    assertThat(fresh.getById(id)).isSameAs(fresh.getById(id));

    RegisteredSchema latest = fresh.latest(subject).orElseThrow();
    assertThat(latest.subject()).isEqualTo(subject);
    assertThat(latest.version()).isEqualTo(1);
    assertThat(latest.id()).isEqualTo(id);
    assertThat(latest.schema()).isEqualTo(envelope);

    Schema other = AvroSchemas.rowSchema(orders(), NS);
    assertThat(fresh.lookup(subject, other)).isEmpty();
    assertThat(fresh.subjects()).contains(subject);
  }

  @Test
  void compatibilityLevelsAndChecksFollowTheRegistry() {
    String subject = subject("compat");
    assertThat(client.getGlobalCompatibility()).isNotNull();
    assertThat(client.testCompatibility(subject, AvroSchemas.rowSchema(orders(), NS)).compatible())
        .as("a subject without versions accepts anything")
        .isTrue();

    int v1 = client.register(subject, AvroSchemas.rowSchema(orders(), NS));
    client.setCompatibility(subject, CompatibilityLevel.BACKWARD);
    assertThat(client.getCompatibility(subject)).contains(CompatibilityLevel.BACKWARD);

    // adding a nullable column (default null) is BACKWARD compatible
    Schema v2Schema = AvroSchemas.rowSchema(orders(Column.of("coupon", ColumnKind.STRING, true, "text")), NS);
    assertThat(client.testCompatibility(subject, v2Schema).compatible()).isTrue();
    int v2 = client.register(subject, v2Schema);
    assertThat(v2).isNotEqualTo(v1);
    assertThat(client.latest(subject).orElseThrow().version()).isEqualTo(2);

    // adding a NOT NULL column without a default is not: new readers cannot read old data
    Schema v3Schema =
        AvroSchemas.rowSchema(
            orders(
                Column.of("coupon", ColumnKind.STRING, true, "text"),
                Column.of("channel", ColumnKind.STRING, false, "text")),
            NS);
    CompatibilityCheck check = client.testCompatibility(subject, v3Schema);
    assertThat(check.compatible()).isFalse();
    assertThatThrownBy(() -> client.register(subject, v3Schema))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.isIncompatible()).isTrue();
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.subject()).isEqualTo(subject);
              assertThat(e.getMessage()).contains(subject).contains(apicurio.ccompatUrl());
            });

    // under NONE the same schema registers
    client.setCompatibility(subject, CompatibilityLevel.NONE);
    assertThat(client.getCompatibility(subject)).contains(CompatibilityLevel.NONE);
    assertThat(client.testCompatibility(subject, v3Schema).compatible()).isTrue();
    assertThat(client.register(subject, v3Schema)).isPositive();
  }

  @Test
  void subjectWithoutItsOwnLevel() {
    assertThat(client.getCompatibility(subject("unknown"))).isEmpty();
    String subject = subject("nolevel");
    client.register(subject, AvroSchemas.rowSchema(orders(), NS));
    // Confluent answers 404 (empty); Apicurio 3.0.9 answers NONE for a subject without its own level
    assertThat(client.getCompatibility(subject))
        .satisfiesAnyOf(
            level -> assertThat(level).isEmpty(), level -> assertThat(level).contains(CompatibilityLevel.NONE));
    client.setCompatibility(subject, CompatibilityLevel.FULL_TRANSITIVE);
    assertThat(client.getCompatibility(subject)).contains(CompatibilityLevel.FULL_TRANSITIVE);
  }

  @Test
  void unknownIdIsANotFoundErrorWithTheConfluentCode() {
    assertThatThrownBy(() -> client.getById(987_654_321))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.isNotFound()).isTrue();
              assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
              assertThat(e.url()).endsWith("/schemas/ids/987654321");
            });
  }

  @Test
  void deleteSubjectRemovesIt() {
    String subject = subject("delete");
    client.register(subject, AvroSchemas.rowSchema(orders(), NS));
    assertThat(client.subjects()).contains(subject);
    client.deleteSubject(subject);
    assertThat(client.subjects()).doesNotContain(subject);
    assertThat(client.latest(subject)).isEmpty();
    client.deleteSubject(subject); // absent: ignored
  }

  @Test
  void envelopeRoundTripsThroughTheWireFormatWithRegistryIds() {
    TableSchema table = orders();
    Schema keySchema = AvroSchemas.keySchema(table, NS);
    Schema envelope = AvroSchemas.envelopeSchema(table, NS);
    String topic = "it-wire-" + UUID.randomUUID().toString().substring(0, 8);
    int keyId = client.register(topic + "-key", keySchema);
    int valueId = client.register(topic + "-value", envelope);

    Map<String, Object> after = new LinkedHashMap<>();
    after.put("id", 42L);
    after.put("total", new BigDecimal("19.90"));
    after.put("note", null);
    SourceInfo source =
        SourceInfo.builder().connector("postgresql").name("it").table(ORDERS).tsMs(1_000L).lsn(123L).ordering(123L)
            .build();
    ChangeEvent e = ChangeEvent.insert(ORDERS, after, source, 2_000L);

    ConfluentAvroSerializer ser = new ConfluentAvroSerializer();
    byte[] key = ser.serialize(keyId, keySchema, AvroRecords.key(keySchema, e));
    byte[] value = ser.serialize(valueId, envelope, AvroRecords.envelope(envelope, e));
    assertThat(ConfluentWireFormat.schemaId(key)).isEqualTo(keyId);
    assertThat(ConfluentWireFormat.schemaId(value)).isEqualTo(valueId);

    // a consumer that knows nothing but the registry URL
    SchemaRegistryClient consumerSide = new SchemaRegistryClient(apicurio.ccompatUrl());
    ConfluentAvroDeserializer de = new ConfluentAvroDeserializer(consumerSide::getById);
    GenericRecord k = de.deserialize(key);
    assertThat(AvroRecords.toImage(k)).containsExactly(Map.entry("id", 42L));
    ChangeEvent back = AvroRecords.toChangeEvent(de.deserialize(value));
    assertThat(back).isEqualTo(e);
  }

  @Test
  void unreachableRegistryFailsAfterRetriesWithoutStatus() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SchemaRegistryClient dead = new SchemaRegistryClient("http://127.0.0.1:" + port + "/apis/ccompat/v7");
    assertThatThrownBy(dead::subjects)
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(-1);
              assertThat(e.isRetriable()).isTrue();
              assertThat(e.getMessage()).contains("127.0.0.1:" + port).contains("3 attempts");
            });
  }
}
