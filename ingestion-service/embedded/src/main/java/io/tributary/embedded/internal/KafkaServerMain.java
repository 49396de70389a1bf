package io.tributary.embedded.internal;

/**
 * Main class of the Kafka child JVM: formats the KRaft log directory when it is not formatted yet (what
 * {@code kafka-storage.sh format --ignore-formatted} does), then runs the broker ({@code kafka.Kafka}), both in
 * one JVM to save a JVM start. Runs with Kafka 3.9.2's own classpath only.
 *
 * <p>Arguments: {@code <cluster id> <server.properties path>}. For a directory formatted already, the cluster id
 * must be the one in its {@code meta.properties} (Kafka checks it).
 *
 * <p>This class is an implementation detail of {@link io.tributary.embedded.EmbeddedKafka}, not an API.
 */
public final class KafkaServerMain {

  private KafkaServerMain() {}

  /**
   * Formats the storage if needed, then starts the broker; returns while the broker runs in its own threads.
   *
   * @param args the cluster id (Kafka's base64 UUID form) and the path of server.properties
   * @throws IllegalStateException when formatting fails (its output is in the process log)
   */
  public static void main(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: KafkaServerMain <cluster id> <server.properties>");
    }
    String[] format = {"format", "--cluster-id", args[0], "--config", args[1], "--ignore-formatted"};
    int status = kafka.tools.StorageTool.execute(format, System.out);
    if (status != 0) {
      throw new IllegalStateException("kafka storage format exited with status " + status);
    }
    kafka.Kafka.main(new String[] {args[1]});
  }
}
