package io.tributary.bench;

import io.tributary.peer.DebeziumPeerConfig;
import io.tributary.peer.DebeziumPeerProcess;
import io.tributary.peer.PeerEvent;
import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.source.postgres.PostgresSlots;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The peer scenario: the Debezium 3.1 embedded engine (PostgreSQL connector, pgoutput) in a child JVM writing the
 * same tables to Kafka with Apicurio's Avro converter in Confluent wire format (the way a Kafka Connect user would
 * run it), acks=all and the same producer batching and {@code poll.interval.ms} as Tributary. Measured on the same
 * data as {@link SnapshotBench} and {@link StreamingBench}: the snapshot of {@code bench.items} (Avro, and JSON
 * without a registry as the engine's own ceiling), and the streaming phases on a fresh {@code bench.stream_items}.
 * Each figure is printed next to Tributary's from the same run: the Kafka-only snapshot (exactly-once), and the
 * Kafka-only at-least-once streaming run (the engine's guarantee).
 */
public final class PeerBench {
  private final BenchServices services;
  private final BenchOptions options;
  private final PrintStream out;

  PeerBench(BenchServices services, BenchOptions options, PrintStream out) {
    this.services = services;
    this.options = options;
    this.out = out;
  }

  /** Runs the peer's snapshot and streaming measurements and adds the "Peer" section. */
  void run(Report report) throws Exception {
    Report.Section s = report.section("Peer: Debezium 3.1 embedded engine (PostgreSQL connector) -> Kafka, same data,"
        + " same machine; 'tributary/peer' divides Tributary's figure of the same run by the engine's");
    s.note("engine snapshot time: from engine start to the last snapshot record acknowledged by Kafka (JVM start and"
        + " registry warm-up excluded); Tributary's includes job submission");
    s.note("the Avro runs use Apicurio's AvroConverter (Confluent wire format): it renders and hashes the schema for"
        + " every record, which bounds the engine; the JSON run (no registry) shows the engine without it");
    if (!services.db.exists(BenchDatabase.ITEMS) || services.db.count(BenchDatabase.ITEMS) != options.rows) {
      services.db.create(BenchDatabase.ITEMS, options.rows);
    }
    Double ours = findRate(report, "tributary: kafka");
    for (DebeziumPeerConfig.Format format : List.of(DebeziumPeerConfig.Format.AVRO, DebeziumPeerConfig.Format.JSON)) {
      String name = "peer_snap_" + format.name().toLowerCase();
      out.printf("%n[peer] snapshot of %s with the Debezium engine (%s) ...%n", BenchDatabase.ITEMS, format);
      DebeziumPeerConfig cfg = config(name, BenchDatabase.ITEMS, DebeziumPeerConfig.SnapshotMode.INITIAL_ONLY, format);
      try (DebeziumPeerProcess peer = DebeziumPeerProcess.start(cfg)) {
        PeerEvent done = peer.waitForEvent("snapshot-complete", Duration.ofMinutes(options.timeoutMinutes));
        double secs = done.getLong("ms") / 1000.0;
        double rate = done.getLong("records") / secs;
        Map<String, Object> r = s.row();
        r.put("run", "snapshot, " + (format == DebeziumPeerConfig.Format.AVRO ? "Avro (Apicurio converter)" : "JSON"));
        r.put("engine rows/s", rate);
        r.put("tributary rows/s", ours);
        r.put("tributary/peer", Report.ratio(ours, rate));
        out.printf("  %,d rows in %.1f s: %,.0f rows/s%n", done.getLong("records"), secs, rate);
        peer.stop(Duration.ofMinutes(1));
      } finally {
        drop(name);
      }
    }
    streaming(report, s);
  }

  private void streaming(Report report, Report.Section s) throws Exception {
    services.db.create(BenchDatabase.STREAM_ITEMS, options.streamRows);
    String name = "peer_stream";
    DebeziumPeerConfig cfg = config(name, BenchDatabase.STREAM_ITEMS, DebeziumPeerConfig.SnapshotMode.NO_DATA,
        DebeziumPeerConfig.Format.AVRO);
    out.printf("%n[peer] streaming changes of %s with the Debezium engine (Avro) ...%n", BenchDatabase.STREAM_ITEMS);
    try (DebeziumPeerProcess peer = DebeziumPeerProcess.start(cfg);
        ChangeGenerator gen = new ChangeGenerator(services.db, BenchDatabase.STREAM_ITEMS, options.streamRows)) {
      peer.waitForEvent("streaming", Duration.ofMinutes(3));
      // the topic exists once the first change went through
      gen.run(Duration.ofMillis(500), 200, 5);
      long warm = gen.changes();
      peer.waitForAcked(warm, Duration.ofMinutes(2));
      try (KafkaProbe probe = new KafkaProbe(services.kafka.bootstrapServers(), cfg.topic(),
          new SchemaRegistryClient(services.registry.ccompatUrl()))) {
        KafkaProbe.Phase w = probe.begin("warm-up");
        ChangePhase.awaitRecords(w, warm, probe, () -> { }, out);
        for (String rate : options.rates) {
          ChangePhase p = ChangePhase.run(rate, options.phaseSeconds, gen, probe, () -> { }, out);
          Histogram h = p.latency();
          Double oursRate = findStreaming(report, "at-least-once", rate, "sustained/s");
          Double oursP99 = findStreaming(report, "at-least-once", rate, "kafka p99 ms");
          Map<String, Object> r = s.row();
          r.put("run", "streaming " + rate + (rate.equals("max") ? "" : "/s"));
          r.put("offered/s", p.offered());
          r.put("engine sustained/s", p.sustained());
          r.put("tributary sustained/s", oursRate);
          r.put("tributary/peer", Report.ratio(oursRate, p.sustained()));
          r.put("engine p50 ms", ChangePhase.ms(h, 50));
          r.put("engine p99 ms", ChangePhase.ms(h, 99));
          r.put("tributary p99 ms", oursP99);
          out.printf("    offered %,.0f/s, engine sustained %s/s, p99 %s ms%n", p.offered(), Report.format(p.sustained()),
              Report.format(ChangePhase.ms(h, 99)));
        }
      }
      peer.stop(Duration.ofMinutes(1));
    } finally {
      drop(name);
    }
  }

  private DebeziumPeerConfig config(String name, String table, DebeziumPeerConfig.SnapshotMode mode,
      DebeziumPeerConfig.Format format) {
    DebeziumPeerConfig.Builder b = DebeziumPeerConfig.builder()
        .database("127.0.0.1", services.pg.port(), BenchServices.DATABASE, services.pg.user(),
            services.pg.password() == null ? "" : services.pg.password())
        .table(table)
        .slotAndPublication(name, name)
        .kafka(services.kafka.bootstrapServers(), "bench-" + name.replace('_', '-'))
        .registry(services.registry.ccompatUrl())
        .snapshotMode(mode)
        .pollIntervalMs(options.pollIntervalMs)
        .workDir(services.work.resolve(name))
        .set(DebeziumPeerConfig.FORMAT, format.name().toLowerCase());
    options.producerProperties().forEach(b::producer);
    return b.build();
  }

  private void drop(String name) throws Exception {
    PostgresSlots.drop(services.jdbcUrl(), services.pg.user(), services.pg.password(), name, name);
  }

  /** Tributary's rows/s of a snapshot run of this report, or null when it did not run. */
  private static Double findRate(Report report, String run) {
    for (Report.Section sec : report.sections()) {
      for (Map<String, Object> r : sec.rows) {
        if (run.equals(r.get("run"))) {
          return (Double) r.get("rows/s");
        }
      }
    }
    return null;
  }

  /** A streaming figure of Tributary from this report, or null. */
  private static Double findStreaming(Report report, String guarantee, String rate, String column) {
    for (Report.Section sec : report.sections()) {
      for (Map<String, Object> r : sec.rows) {
        if (guarantee.equals(r.get("guarantee")) && "kafka".equals(r.get("sinks")) && rate.equals(r.get("target/s"))) {
          return (Double) r.get(column);
        }
      }
    }
    return null;
  }
}
