package io.tributary.sink.kafka;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One serialized Kafka record on its way from the serialize operator to Flink's {@code KafkaSink}: topic, message
 * key and value bytes (Confluent wire format for change records, JSON for dead-letter records) and headers.
 *
 * <p>A Flink POJO (public no-arg constructor, getters and setters) so that Flink copies it without Kryo tricks.
 * The partition is never set: the producer's default partitioner hashes the key bytes, which keeps the changes of
 * one message key in order on one partition.
 */
public final class KafkaOutput implements Serializable {
  private static final long serialVersionUID = 1L;

  private String topic;
  private byte[] key;
  private byte[] value;
  private LinkedHashMap<String, String> headers;

  /** For Flink's POJO serializer. */
  public KafkaOutput() {}

  /**
   * @param topic target topic, never null
   * @param key message key bytes, or null (no key)
   * @param value message value bytes, or null for a tombstone
   * @param headers record headers (UTF-8 string values), or null for none
   */
  public KafkaOutput(String topic, byte[] key, byte[] value, Map<String, String> headers) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.key = key;
    this.value = value;
    this.headers = headers == null || headers.isEmpty() ? null : new LinkedHashMap<>(headers);
  }

  /** A record without headers. */
  public static KafkaOutput of(String topic, byte[] key, byte[] value) {
    return new KafkaOutput(topic, key, value, null);
  }

  /** The target topic. */
  public String getTopic() {
    return topic;
  }

  /** Sets the target topic (for Flink's POJO serializer). */
  public void setTopic(String topic) {
    this.topic = topic;
  }

  /** The message key bytes, or null. */
  public byte[] getKey() {
    return key;
  }

  /** Sets the message key bytes, null for none (for Flink's POJO serializer). */
  public void setKey(byte[] key) {
    this.key = key;
  }

  /** The message value bytes, or null for a tombstone. */
  public byte[] getValue() {
    return value;
  }

  /** Sets the message value bytes, null for a tombstone (for Flink's POJO serializer). */
  public void setValue(byte[] value) {
    this.value = value;
  }

  /** Headers, name to UTF-8 value, or null when there are none. */
  public LinkedHashMap<String, String> getHeaders() {
    return headers;
  }

  /** Sets the headers, null for none (for Flink's POJO serializer). */
  public void setHeaders(LinkedHashMap<String, String> headers) {
    this.headers = headers;
  }

  /** Whether this is a tombstone: a null value. */
  public boolean isTombstone() {
    return value == null;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof KafkaOutput)) {
      return false;
    }
    KafkaOutput k = (KafkaOutput) o;
    return Objects.equals(topic, k.topic) && Arrays.equals(key, k.key) && Arrays.equals(value, k.value)
        && Objects.equals(headers, k.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(key), Arrays.hashCode(value), headers);
  }

  @Override
  public String toString() {
    return "KafkaOutput{" + topic + " key=" + (key == null ? "null" : key.length + "B") + " value="
        + (value == null ? "tombstone" : value.length + "B") + (headers == null ? "" : " headers=" + headers.keySet())
        + "}";
  }
}
