package io.tributary.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerSettingsTest {

  @Test
  void engineSettingsAreWhatAnAvroUserOfDebeziumWouldChoose(@TempDir Path work) {
    DebeziumPeerConfig c =
        DebeziumPeerConfigTest.minimal(work)
            .pollIntervalMs(20)
            .batching(4096, 16384)
            .debezium("snapshot.fetch.size", "20000")
            .debezium("decimal.handling.mode", "string")
            .build();

    Properties p = PeerSettings.engine(c);

    assertThat(p)
        .containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
        .containsEntry("plugin.name", "pgoutput")
        .containsEntry("table.include.list", "public.orders")
        .containsEntry("slot.name", "peer_slot")
        .containsEntry("publication.name", "peer_pub")
        .containsEntry("publication.autocreate.mode", "filtered")
        .containsEntry("snapshot.mode", "initial")
        .containsEntry("poll.interval.ms", "20")
        .containsEntry("max.batch.size", "4096")
        .containsEntry("max.queue.size", "16384")
        .containsEntry("schema.name.adjustment.mode", "avro")
        .containsEntry("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore")
        .containsEntry("offset.storage.file.filename", work.toAbsolutePath().resolve("offsets.dat").toString())
        .containsEntry("database.password", "secret")
        .containsEntry("snapshot.fetch.size", "20000")
        // debezium.* comes last and wins
        .containsEntry("decimal.handling.mode", "string");
  }

  @Test
  void producerIsIdempotentWithAllAcksAndTheBatchingOptions(@TempDir Path work) {
    Properties p = PeerSettings.producer(DebeziumPeerConfigTest.minimal(work).producer("linger.ms", "10").build());

    assertThat(p)
        .containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "10")
        .containsEntry("batch.size", "131072")
        .containsEntry("compression.type", "lz4")
        .containsEntry("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
  }

  @Test
  void avroConverterWritesConfluentWireFormatThroughTheCoreApi(@TempDir Path work) {
    DebeziumPeerConfig c = DebeziumPeerConfigTest.minimal(work).set("converter.apicurio.registry.check-period-ms", "60000").build();

    Map<String, Object> m = PeerSettings.converter(c);

    assertThat(PeerSettings.converterClass(c)).isEqualTo("io.apicurio.registry.utils.converter.AvroConverter");
    assertThat(m)
        .containsEntry("apicurio.registry.url", "http://127.0.0.1:8080/apis/registry/v3")
        .containsEntry("apicurio.registry.auto-register", "true")
        .containsEntry("apicurio.registry.headers.enabled", "false")
        .containsEntry("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler")
        .containsEntry("apicurio.registry.use-id", "contentId")
        .containsEntry("apicurio.registry.dereference-schema", "true")
        .containsEntry("apicurio.registry.check-period-ms", "60000");
  }

  @Test
  void jsonFallbackUsesConnectsJsonConverterWithoutSchemas(@TempDir Path work) {
    DebeziumPeerConfig c = DebeziumPeerConfigTest.minimal(work).set(DebeziumPeerConfig.FORMAT, "json").build();

    assertThat(PeerSettings.converterClass(c)).isEqualTo("org.apache.kafka.connect.json.JsonConverter");
    assertThat(PeerSettings.converter(c)).containsEntry("schemas.enable", "false").doesNotContainKey("apicurio.registry.url");
  }
}
