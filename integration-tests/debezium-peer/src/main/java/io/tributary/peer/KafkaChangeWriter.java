package io.tributary.peer;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.Converter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's change consumer: converts each record's key and value with the configured converters, sends them with
 * the Kafka producer, flushes once per batch, and only then marks the batch's records processed with the engine's
 * {@link DebeziumEngine.RecordCommitter} (at-least-once: a record's offset is committed only after Kafka acked it).
 * Batches arrive one at a time from the engine's single polling thread (the PostgreSQL connector has one task).
 *
 * <p>After {@link #stopAccepting()} new batches are left unprocessed and uncommitted: a restarted peer reads them
 * again from its offsets.
 */
final class KafkaChangeWriter implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeWriter.class);

  /** Called once, after the batch holding the last snapshot record was acked. */
  interface SnapshotListener {
    void snapshotAcked(long snapshotRecords);
  }

  private final Producer<byte[], byte[]> producer;
  private final Converter keyConverter;
  private final Converter valueConverter;
  private final SnapshotListener snapshotListener;
  private final ReentrantLock batchLock = new ReentrantLock();
  private final AtomicReference<Exception> sendError = new AtomicReference<>();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong snapshotRecords = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong convertNanos = new AtomicLong();
  private final AtomicLong sendNanos = new AtomicLong();
  private final AtomicLong flushNanos = new AtomicLong();
  private final AtomicLong commitNanos = new AtomicLong();
  private volatile long firstBatchNanos;
  private volatile boolean accepting = true;
  private volatile boolean snapshotDone;

  KafkaChangeWriter(
      Producer<byte[], byte[]> producer,
      Converter keyConverter,
      Converter valueConverter,
      SnapshotListener snapshotListener) {
    this.producer = producer;
    this.keyConverter = keyConverter;
    this.valueConverter = valueConverter;
    this.snapshotListener = snapshotListener;
  }

  @Override
  public void handleBatch(
      List<RecordChangeEvent<SourceRecord>> batch,
      DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
      throws InterruptedException {
    batchLock.lockInterruptibly();
    try {
      if (!accepting) {
        LOG.info("Stopping: leaving a batch of {} records unprocessed (it is read again on restart)", batch.size());
        return;
      }
      if (firstBatchNanos == 0) {
        firstBatchNanos = System.nanoTime();
      }
      boolean lastSnapshotRecord = false;
      long snapshotInBatch = 0;
      long convert = 0;
      long send = 0;
      for (RecordChangeEvent<SourceRecord> event : batch) {
        SourceRecord r = event.record();
        String topic = r.topic();
        long t0 = System.nanoTime();
        byte[] key = keyConverter.fromConnectData(topic, r.keySchema(), r.key());
        byte[] value = valueConverter.fromConnectData(topic, r.valueSchema(), r.value());
        long t1 = System.nanoTime();
        convert += t1 - t0;
        producer.send(
            new ProducerRecord<>(topic, r.kafkaPartition(), r.timestamp(), key, value),
            (metadata, error) -> {
              if (error != null) {
                sendError.compareAndSet(null, error);
              }
            });
        send += System.nanoTime() - t1;
        records.incrementAndGet();
        if (r.value() instanceof Struct v) {
          String snapshot = snapshotMarker(v);
          if ("r".equals(opOf(v))) {
            snapshotInBatch++;
          }
          if ("last".equals(snapshot)) {
            lastSnapshotRecord = true;
          }
        }
      }
      long t2 = System.nanoTime();
      producer.flush();
      long t3 = System.nanoTime();
      Exception error = sendError.get();
      if (error != null) {
        throw new IllegalStateException("Kafka refused a record; the batch is not committed: " + error, error);
      }
      for (RecordChangeEvent<SourceRecord> event : batch) {
        committer.markProcessed(event);
      }
      committer.markBatchFinished();
      long t4 = System.nanoTime();
      convertNanos.addAndGet(convert);
      sendNanos.addAndGet(send);
      flushNanos.addAndGet(t3 - t2);
      commitNanos.addAndGet(t4 - t3);
      batches.incrementAndGet();
      acked.addAndGet(batch.size());
      long snapshotTotal = snapshotRecords.addAndGet(snapshotInBatch);
      if (lastSnapshotRecord && !snapshotDone) {
        snapshotDone = true;
        snapshotListener.snapshotAcked(snapshotTotal);
      }
    } finally {
      batchLock.unlock();
    }
  }

  @Override
  public boolean supportsTombstoneEvents() {
    return true;
  }

  /** Lets the batch in progress finish (sent, acked, committed), then refuses further batches. */
  void stopAccepting() {
    accepting = false;
    batchLock.lock();
    batchLock.unlock();
  }

  /** @return records handed to the producer so far */
  long records() {
    return records.get();
  }

  /** @return records acked by Kafka and marked processed so far */
  long acked() {
    return acked.get();
  }

  /** @return snapshot ({@code op=r}) records acked so far */
  long snapshotRecords() {
    return snapshotRecords.get();
  }

  /**
   * Where the writer spent its time so far, for the benchmark's report: {@code batches}, and milliseconds in {@code
   * convertMs} (key and value converters, schema registration included), {@code sendMs} (producer.send, which blocks
   * only when the producer's buffer is full), {@code flushMs} (waiting for Kafka's acks) and {@code commitMs} (marking
   * offsets).
   */
  java.util.Map<String, Object> timings() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("batches", batches.get());
    m.put("convertMs", convertNanos.get() / 1_000_000);
    m.put("sendMs", sendNanos.get() / 1_000_000);
    m.put("flushMs", flushNanos.get() / 1_000_000);
    m.put("commitMs", commitNanos.get() / 1_000_000);
    return m;
  }

  /** @return {@link System#nanoTime()} when the first batch arrived, 0 before */
  long firstBatchNanos() {
    return firstBatchNanos;
  }

  /** @return whether the last snapshot record was acked */
  boolean snapshotDone() {
    return snapshotDone;
  }

  private static String opOf(Struct value) {
    Field op = value.schema().field("op");
    return op == null ? null : value.getString("op");
  }

  /** The envelope's {@code source.snapshot}: true, first, last, ..., false; null when absent. */
  private static String snapshotMarker(Struct value) {
    Field source = value.schema().field("source");
    if (source == null) {
      return null;
    }
    Struct s = value.getStruct("source");
    if (s == null || s.schema().field("snapshot") == null) {
      return null;
    }
    Object marker = s.get("snapshot");
    return marker == null ? null : marker.toString();
  }
}
