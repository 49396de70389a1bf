package io.tributary.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebeziumPeerConfigTest {

  static DebeziumPeerConfig.Builder minimal(Path work) {
    return DebeziumPeerConfig.builder()
        .database("127.0.0.1", 5432, "shop", "postgres", "secret")
        .table("public.orders")
        .slotAndPublication("peer_slot", "peer_pub")
        .kafka("127.0.0.1:9092", "bench-peer")
        .registry("http://127.0.0.1:8080/apis/ccompat/v7/")
        .workDir(work);
  }

  @Test
  void appliesDefaultsAndDerivesTopicAndCoreRegistryUrl(@TempDir Path work) {
    DebeziumPeerConfig c = minimal(work).build();

    assertThat(c.topic()).isEqualTo("bench-peer.public.orders");
    assertThat(c.registryUrl()).isEqualTo("http://127.0.0.1:8080/apis/registry/v3");
    assertThat(c.snapshotMode()).isEqualTo(DebeziumPeerConfig.SnapshotMode.INITIAL);
    assertThat(c.format()).isEqualTo(DebeziumPeerConfig.Format.AVRO);
    assertThat(c.getLong(DebeziumPeerConfig.POLL_INTERVAL_MS)).isEqualTo(500);
    assertThat(c.withPrefix(DebeziumPeerConfig.PRODUCER_PREFIX))
        .containsEntry("linger.ms", "5")
        .containsEntry("batch.size", "131072")
        .containsEntry("compression.type", "lz4");
    assertThat(c.workDir()).isEqualTo(work.toAbsolutePath());
    assertThat(c.toString()).contains("database.password=********").doesNotContain("secret");
  }

  @Test
  void writesAndReadsBackAnOwnerOnlyFile(@TempDir Path work) throws Exception {
    DebeziumPeerConfig c =
        minimal(work)
            .snapshotMode(DebeziumPeerConfig.SnapshotMode.NO_DATA)
            .pollIntervalMs(20)
            .batching(4096, 16384)
            .producer("linger.ms", "10")
            .debezium("heartbeat.interval.ms", "1000")
            .build();
    Path file = work.resolve("peer.properties");

    c.write(file);

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    DebeziumPeerConfig back = DebeziumPeerConfig.read(file);
    assertThat(back.asMap()).isEqualTo(c.asMap());
    assertThat(back.withPrefix(DebeziumPeerConfig.DEBEZIUM_PREFIX)).containsExactly(Map.entry("heartbeat.interval.ms", "1000"));
  }

  @Test
  void acceptsDebeziumOneNameForNoData(@TempDir Path work) {
    DebeziumPeerConfig c = minimal(work).set(DebeziumPeerConfig.SNAPSHOT_MODE, "never").build();

    assertThat(c.snapshotMode()).isEqualTo(DebeziumPeerConfig.SnapshotMode.NO_DATA);
    assertThat(c.snapshotMode().debeziumName()).isEqualTo("no_data");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    Map<String, String> m = new HashMap<>();
    m.put(DebeziumPeerConfig.DATABASE_PORT, "x");
    m.put(DebeziumPeerConfig.TABLE, "orders");
    m.put(DebeziumPeerConfig.SNAPSHOT_MODE, "always");
    m.put(DebeziumPeerConfig.POLL_INTERVAL_MS, "0");
    m.put("linger.ms", "5");

    assertThatThrownBy(() -> DebeziumPeerConfig.of(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing required configuration \"database.hostname\" which has no default value.")
        .hasMessageContaining("Missing required configuration \"work.dir\"")
        .hasMessageContaining("Invalid value x for configuration database.port: not a whole number")
        .hasMessageContaining("Invalid value orders for configuration table: use schema.table")
        .hasMessageContaining("Invalid value always for configuration snapshot.mode: use initial, initial_only or no_data")
        .hasMessageContaining("Invalid value 0 for configuration poll.interval.ms: must be between 1")
        .hasMessageContaining("Unknown configuration \"linger.ms\"; pass-through prefixes are debezium., producer. and converter.")
        .hasMessageContaining("Missing required configuration \"registry.url\" (or \"registry.ccompat.url\") for format avro.");
  }

  @Test
  void refusesAQueueNoLargerThanTheBatchAndAnUnderivableRegistryUrl(@TempDir Path work) {
    assertThatThrownBy(() -> minimal(work).batching(1000, 1000).build())
        .hasMessageContaining("Invalid value 1000 for configuration max.queue.size: must be larger than max.batch.size");
    assertThatThrownBy(() -> minimal(work).registry("http://127.0.0.1:8080/apis/registry/v3").build())
        .hasMessageContaining("cannot derive Apicurio's core API URL");
  }

  @Test
  void jsonNeedsNoRegistry(@TempDir Path work) {
    DebeziumPeerConfig c =
        minimal(work).set(DebeziumPeerConfig.REGISTRY_CCOMPAT_URL, null).set(DebeziumPeerConfig.FORMAT, "json").build();

    assertThat(c.format()).isEqualTo(DebeziumPeerConfig.Format.JSON);
    assertThat(c.registryUrl()).isNull();
  }
}
