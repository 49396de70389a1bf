package io.tributary.bench;

import io.tributary.schema.registry.SchemaRegistryClient;
import io.tributary.schema.wire.ConfluentAvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.HdrHistogram.Histogram;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one change topic from its beginning on a background thread with {@code isolation.level=read_committed} and
 * decodes each value through the registry (Confluent wire format). Values are Debezium envelopes (Tributary's
 * {@code debezium} envelope and Debezium's own have the fields used here: {@code op}, {@code after.changed_us},
 * {@code source.lsn}). Per {@link Phase}: the change records seen (tombstones not counted), the latency of inserts and
 * updates (time the record is read here minus its {@code changed_us}, in µs), and the (LSN, changed_us) pairs that
 * {@link HudiCommits} matches against Hudi commits.
 */
public final class KafkaProbe implements AutoCloseable {
  /** The records of one streaming phase. */
  public static final class Phase {
    final String name;
    final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    final List<long[]> lsnAndChanged = new ArrayList<>();
    long records;
    long firstNanos;
    long lastNanos;

    Phase(String name) {
      this.name = name;
    }

    /** Change records (c/u/d/r) seen in this phase. */
    public synchronized long records() {
      return records;
    }

    /** {@link System#nanoTime()} when the first record of this phase was read. */
    public synchronized long firstNanos() {
      return firstNanos;
    }

    /** {@link System#nanoTime()} when the last record of this phase was read. */
    public synchronized long lastNanos() {
      return lastNanos;
    }

    /** A copy of the latency histogram (µs). */
    public synchronized Histogram latency() {
      return latencyMicros.copy();
    }

    /** {lsn, changed_us} of each insert and update, in read order. */
    public synchronized List<long[]> lsnAndChanged() {
      return new ArrayList<>(lsnAndChanged);
    }

    synchronized void add(String op, long changedUs, Long lsn, long nowUs, long nowNanos) {
      if (records == 0) {
        firstNanos = nowNanos;
      }
      records++;
      lastNanos = nowNanos;
      if (!op.equals("d") && changedUs > 0) {
        latencyMicros.recordValue(Math.max(0, Math.min(nowUs - changedUs, latencyMicros.getHighestTrackableValue())));
        if (lsn != null) {
          lsnAndChanged.add(new long[] {lsn, changedUs});
        }
      }
    }
  }

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ConfluentAvroDeserializer deserializer;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Phase phase = new Phase("warm-up");
  private volatile Throwable failure;

  /**
   * Starts reading {@code topic} (which must exist) from its beginning.
   *
   * @param registry the registry holding the writers' schemas (ids in the messages)
   */
  public KafkaProbe(String bootstrap, String topic, SchemaRegistryClient registry) {
    this.topic = topic;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> parts = new ArrayList<>();
    consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    deserializer = new ConfluentAvroDeserializer(registry::getById);
    thread = new Thread(this::loop, "kafka-probe-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts a new phase: records read from now on count there. */
  public Phase begin(String name) {
    Phase p = new Phase(name);
    phase = p;
    return p;
  }

  /** The current phase. */
  public Phase phase() {
    return phase;
  }

  /** @throws IllegalStateException if the reader thread failed */
  public void check() {
    if (failure != null) {
      throw new IllegalStateException("reading " + topic + " failed: " + failure, failure);
    }
  }

  private void loop() {
    try {
      while (running) {
        var batch = consumer.poll(Duration.ofMillis(100));
        // the time the batch became readable; decoding its records must not add to their latency
        long nowUs = ChangeGenerator.micros();
        long nowNanos = System.nanoTime();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          if (r.value() == null) {
            continue; // tombstone
          }
          GenericRecord v = deserializer.deserialize(r.value());
          String op = String.valueOf(v.get("op"));
          long changed = 0;
          Object after = v.get("after");
          if (after instanceof GenericRecord a && a.get("changed_us") instanceof Long c) {
            changed = c;
          }
          Long lsn = null;
          if (v.get("source") instanceof GenericRecord s && s.get("lsn") instanceof Long l) {
            lsn = l;
          }
          phase.add(op, changed, lsn, nowUs, nowNanos);
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (Throwable t) {
      failure = t;
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
