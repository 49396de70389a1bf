package io.tributary.runtime.check;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.SinkDefinition;
import io.tributary.config.Templates;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import io.tributary.schema.registry.SchemaRegistryClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code kafka} sink as the check reads it: each table's topic (the sink's {@code topic} template) folded to its
 * latest state per message key by {@link KafkaTopicReader} ({@code read_committed}; tombstones and op {@code d}
 * delete). The consumer gets the sink's {@code properties.security.*}, {@code properties.sasl.*} and {@code
 * properties.ssl.*} settings.
 */
public final class KafkaCheckSink implements CheckSink {
  private static final String PREFIX = "properties.";

  private final String name;
  private final String bootstrap;
  private final String topicTemplate;
  private final Map<String, String> clientProperties = new LinkedHashMap<>();
  private final String registryUrl;

  /**
   * @param def the pipeline, for its schema registry
   * @param sink a sink of type {@code kafka}
   */
  public KafkaCheckSink(PipelineDefinition def, SinkDefinition sink) {
    this.name = sink.type() + "-" + sink.index();
    this.bootstrap = sink.options().getString("bootstrap.servers");
    this.topicTemplate = sink.options().getString("topic");
    this.registryUrl = def.schema() == null ? null : def.schema().registryUrl();
    sink.options().asMap().forEach((k, v) -> {
      if (k.startsWith(PREFIX)) {
        String key = k.substring(PREFIX.length());
        if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
          clientProperties.put(key, v);
        }
      }
    });
  }

  @Override
  public String name() {
    return name;
  }

  /** The topic of a table. */
  public String topic(TableId table) {
    return Templates.render(topicTemplate, table);
  }

  @Override
  public Map<TableId, TableRows> read(List<TableSchema> tables, Map<TableId, Set<String>> onlyKeys)
      throws CheckException {
    if (registryUrl == null) {
      throw new CheckException("sink " + name + ": the pipeline names no schema registry (schema.registry.url), so"
          + " its topics cannot be decoded");
    }
    SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
    Map<TableId, TableRows> out = new LinkedHashMap<>();
    for (TableSchema t : tables) {
      TableRows rows = new TableRows(t, name, onlyKeys == null ? null : onlyKeys.get(t.tableId()));
      String topic = topic(t.tableId());
      try {
        KafkaTopicReader.read(bootstrap, clientProperties, topic, registry, rows);
      } catch (RuntimeException e) {
        throw new CheckException("sink " + name + ": cannot read topic " + topic + " from " + bootstrap + ": "
            + e.getMessage(), e);
      }
      out.put(t.tableId(), rows);
    }
    return out;
  }
}
