package io.tributary.sink.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns an already serialized {@link KafkaOutput} into a {@link ProducerRecord}: same topic, key, value and headers
 * (UTF-8), no partition (the producer's default partitioner hashes the key bytes, keeping per-key order) and no
 * timestamp (the producer sets the send time).
 */
public final class KafkaOutputSerializationSchema implements KafkaRecordSerializationSchema<KafkaOutput> {
  private static final long serialVersionUID = 1L;

  @Override
  public ProducerRecord<byte[], byte[]> serialize(KafkaOutput out, KafkaSinkContext context, Long timestamp) {
    List<Header> headers = null;
    if (out.getHeaders() != null) {
      headers = new ArrayList<>(out.getHeaders().size());
      for (Map.Entry<String, String> h : out.getHeaders().entrySet()) {
        headers.add(new RecordHeader(h.getKey(), h.getValue() == null ? null : h.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return new ProducerRecord<>(out.getTopic(), null, null, out.getKey(), out.getValue(), headers);
  }
}
