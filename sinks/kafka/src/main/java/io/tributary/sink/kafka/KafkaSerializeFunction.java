package io.tributary.sink.kafka;

import io.tributary.config.ErrorMode;
import io.tributary.config.Stage;
import io.tributary.schema.ChangeEvent;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serialize operator of a Kafka sink: turns each {@link ChangeEvent} into {@link KafkaOutput} records with a
 * {@link ChangeRecordSerializer}, and applies the pipeline's error mode to changes that fail: {@code fail} throws
 * (the job fails, naming table, column and stage SERIALIZE), {@code skip} logs and counts, {@code dlq} emits the
 * raw change as JSON to the dead-letter topic (same Kafka sink, so it shares the transaction).
 *
 * <p>Metrics, in group {@code tributary.sink.<sinkName>}: {@code recordsWritten} (changes serialized),
 * {@code recordsSkipped}, {@code recordsDeadLettered}.
 */
public final class KafkaSerializeFunction extends ProcessFunction<ChangeEvent, KafkaOutput> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSerializeFunction.class);

  /** Counter of changes serialized (a delete with its tombstone counts once). */
  public static final String RECORDS_WRITTEN = "recordsWritten";
  /** Counter of changes dropped by {@code errors.mode: skip}. */
  public static final String RECORDS_SKIPPED = "recordsSkipped";
  /** Counter of changes sent to the dead-letter topic. */
  public static final String RECORDS_DEAD_LETTERED = "recordsDeadLettered";

  private final String sinkName;
  private final String pipelineName;
  private final ChangeRecordSerializer serializer;
  private final ErrorMode errorMode;
  private final String dlqTopic;

  private transient Counter written;
  private transient Counter skipped;
  private transient Counter deadLettered;

  /**
   * @param sinkName the sink's name (metric group, messages)
   * @param pipelineName the pipeline's name (dead-letter header)
   * @param serializer the per-table serializer built from {@link KafkaPipelineSink#prepare}
   * @param errorMode what to do with a change that fails
   * @param dlqTopic the dead-letter topic when {@code errorMode} is DLQ
   */
  public KafkaSerializeFunction(
      String sinkName, String pipelineName, ChangeRecordSerializer serializer, ErrorMode errorMode, String dlqTopic) {
    this.sinkName = sinkName;
    this.pipelineName = pipelineName;
    this.serializer = serializer;
    this.errorMode = errorMode;
    this.dlqTopic = dlqTopic;
  }

  /** The metric group of a sink: {@code tributary} -> {@code sink} -> {@code <sinkName>}. */
  public static MetricGroup metricGroup(MetricGroup operatorGroup, String sinkName) {
    return operatorGroup.addGroup("tributary").addGroup("sink").addGroup(sinkName);
  }

  @Override
  public void open(OpenContext openContext) {
    MetricGroup group = metricGroup(getRuntimeContext().getMetricGroup(), sinkName);
    written = group.counter(RECORDS_WRITTEN);
    skipped = group.counter(RECORDS_SKIPPED);
    deadLettered = group.counter(RECORDS_DEAD_LETTERED);
  }

  @Override
  public void processElement(ChangeEvent e, Context ctx, Collector<KafkaOutput> out) {
    List<KafkaOutput> records;
    try {
      records = serializer.serialize(e);
    } catch (ChangeSerializationException ex) {
      switch (errorMode) {
        case SKIP:
          skipped.inc();
          LOG.warn("Skipping a change (errors.mode skip): {}", ex.getMessage());
          return;
        case DLQ:
          deadLettered.inc();
          LOG.warn("Sending a change to the dead-letter topic {}: {}", dlqTopic, ex.getMessage());
          out.collect(DeadLetters.record(dlqTopic, pipelineName, e, Stage.SERIALIZE, ex.getMessage()));
          return;
        default:
          throw ex;
      }
    }
    for (KafkaOutput r : records) {
      out.collect(r);
    }
    written.inc();
  }
}
