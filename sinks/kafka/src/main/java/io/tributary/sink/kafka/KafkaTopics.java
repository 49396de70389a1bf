package io.tributary.sink.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-side Kafka administration for a sink, run once before the job: creates missing topics and reads the
 * broker's transaction timeout limit. Closes its {@link Admin} on {@link #close()}.
 */
final class KafkaTopics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTopics.class);
  private static final long TIMEOUT_MS = 60_000;

  private final Admin admin;
  private final String servers;

  /**
   * @param clientProperties admin client properties, {@code bootstrap.servers} included
   */
  KafkaTopics(Properties clientProperties) {
    Properties p = new Properties();
    // Producer-only keys in the pass-through properties would make the admin client log warnings; keep the rest.
    for (String name : clientProperties.stringPropertyNames()) {
      if (AdminClientConfig.configNames().contains(name) || name.startsWith("sasl.") || name.startsWith("ssl.")) {
        p.setProperty(name, clientProperties.getProperty(name));
      }
    }
    p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_MS));
    p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
    this.servers = p.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    this.admin = Admin.create(p);
  }

  /**
   * Creates the topics that do not exist yet; a topic created concurrently by someone else counts as existing.
   *
   * @return the topics this call created, in the given order
   * @throws KafkaSinkException if Kafka cannot be reached within 60 s or refuses to create a topic (naming it)
   */
  List<String> createMissing(Collection<String> topics, int partitions, short replicationFactor) {
    Set<String> existing = get(admin.listTopics().names(), "list topics");
    List<NewTopic> missing = new ArrayList<>();
    for (String t : new LinkedHashSet<>(topics)) {
      if (!existing.contains(t)) {
        missing.add(new NewTopic(t, partitions, replicationFactor));
      }
    }
    List<String> created = new ArrayList<>();
    if (missing.isEmpty()) {
      return created;
    }
    Map<String, org.apache.kafka.common.KafkaFuture<Void>> results = admin.createTopics(missing).values();
    for (NewTopic nt : missing) {
      try {
        results.get(nt.name()).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        created.add(nt.name());
        LOG.info("Created topic {} ({} partitions, replication factor {})", nt.name(), partitions, replicationFactor);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          continue;
        }
        throw new KafkaSinkException("Cannot create topic " + nt.name() + " with " + partitions
            + " partitions and replication factor " + replicationFactor + " on " + servers + ": "
            + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KafkaSinkException("Interrupted while creating topic " + nt.name(), e);
      } catch (TimeoutException e) {
        throw new KafkaSinkException("Timed out after " + TIMEOUT_MS + " ms creating topic " + nt.name() + " on "
            + servers, e);
      }
    }
    return created;
  }

  /**
   * The broker's {@code transaction.max.timeout.ms} (read from one broker of the cluster), or null when the broker
   * does not report it (for example no DescribeConfigs permission).
   */
  Duration maxTransactionTimeout() {
    try {
      Collection<Node> nodes = get(admin.describeCluster().nodes(), "describe the cluster");
      if (nodes.isEmpty()) {
        return null;
      }
      ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
      Config config = get(admin.describeConfigs(List.of(broker)).all(), "describe broker configs").get(broker);
      ConfigEntry entry = config == null ? null : config.get("transaction.max.timeout.ms");
      return entry == null || entry.value() == null ? null : Duration.ofMillis(Long.parseLong(entry.value()));
    } catch (KafkaSinkException | NumberFormatException e) {
      LOG.warn("Could not read the broker's transaction.max.timeout.ms from {}: {}", servers, e.getMessage());
      return null;
    }
  }

  /**
   * Connects and lists the cluster's brokers.
   *
   * @return the number of brokers
   * @throws KafkaSinkException naming the bootstrap servers when the cluster does not answer within the timeout
   */
  int brokers() {
    return get(admin.describeCluster().nodes(), "describe the cluster").size();
  }

  private <T> T get(org.apache.kafka.common.KafkaFuture<T> f, String what) {
    try {
      return f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaSinkException("Cannot " + what + " on Kafka " + servers + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaSinkException("Interrupted while trying to " + what + " on Kafka " + servers, e);
    } catch (TimeoutException e) {
      throw new KafkaSinkException("Timed out after " + TIMEOUT_MS + " ms trying to " + what + " on Kafka "
          + servers + "; is bootstrap.servers right and the broker up?", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }
}
