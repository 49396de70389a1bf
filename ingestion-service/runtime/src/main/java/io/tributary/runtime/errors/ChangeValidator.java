package io.tributary.runtime.errors;

import io.tributary.config.ErrorMode;
import io.tributary.config.Stage;
import io.tributary.schema.ChangeEvent;
import io.tributary.schema.TableSchema;
import io.tributary.sink.kafka.DeadLetters;
import io.tributary.sink.kafka.KafkaOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VALIDATE stage: chained after the source and before every sink, it passes on each change that every sink can
 * write ({@link ChangeChecker}) and applies {@code errors.mode} to the others, so that no sink ever sees them and
 * nothing vanishes silently:
 *
 * <table>
 *   <caption>What happens to a change that fails validation</caption>
 *   <tr><th>mode</th><th>effect</th></tr>
 *   <tr><td>fail</td><td>throws {@link ChangeValidationException} naming pipeline, table, column, stage, op, key and
 *       reason: the job fails (after its bounded restarts)</td></tr>
 *   <tr><td>skip</td><td>drops the change, counts it and logs one WARN line naming table, key, op, stage and reason
 *       (never other values)</td></tr>
 *   <tr><td>dlq</td><td>emits a dead-letter record ({@link DeadLetters}: the raw change as JSON, headers
 *       {@code tributary.pipeline/table/stage/reason}) to the side output {@link #DEAD_LETTERS}, counts it and logs
 *       the same WARN line</td></tr>
 * </table>
 *
 * <p>Metrics (Flink counters): group {@code tributary.validate}, counters {@value #RECORDS_SKIPPED} and
 * {@value #RECORDS_DEAD_LETTERED}; the same counters per table under {@code tributary.table.<database.schema.table>},
 * registered on a table's first failed change (Flink metric identifiers show the table with underscores:
 * {@code tributary.table.shop_public_orders.recordsSkipped}).
 */
public final class ChangeValidator extends ProcessFunction<ChangeEvent, ChangeEvent> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ChangeValidator.class);

  /** Side output of dead-letter records (only under {@code errors.mode: dlq}). */
  public static final OutputTag<KafkaOutput> DEAD_LETTERS =
      new OutputTag<>("tributary-dead-letters", TypeInformation.of(KafkaOutput.class));

  /** Metric group (under {@code tributary}) of the stage's totals. */
  public static final String METRIC_GROUP = "validate";
  /** Counter of changes dropped under {@code errors.mode: skip}. */
  public static final String RECORDS_SKIPPED = "recordsSkipped";
  /** Counter of changes sent to the dead-letter topic under {@code errors.mode: dlq}. */
  public static final String RECORDS_DEAD_LETTERED = "recordsDeadLettered";

  private final String pipelineName;
  private final ChangeChecker checker;
  private final ErrorMode mode;
  private final String dlqTopic;

  private transient Counter skipped;
  private transient Counter deadLettered;
  private transient MetricGroup tributaryGroup;
  private transient Map<String, Counter> perTable;

  /**
   * @param pipelineName the pipeline name (messages, dead-letter header)
   * @param tables the pipeline's tables
   * @param mode what to do with a change that fails validation
   * @param dlqTopic the dead-letter topic; required when {@code mode} is DLQ, else ignored
   * @throws IllegalArgumentException if mode is DLQ without a topic
   */
  public ChangeValidator(String pipelineName, List<TableSchema> tables, ErrorMode mode, String dlqTopic) {
    this.pipelineName = Objects.requireNonNull(pipelineName, "pipelineName");
    this.checker = new ChangeChecker(tables);
    this.mode = mode == null ? ErrorMode.FAIL : mode;
    if (this.mode == ErrorMode.DLQ && (dlqTopic == null || dlqTopic.isBlank())) {
      throw new IllegalArgumentException("errors.mode is dlq but no dead-letter topic is set");
    }
    this.dlqTopic = dlqTopic;
  }

  @Override
  public void open(OpenContext openContext) {
    tributaryGroup = getRuntimeContext().getMetricGroup().addGroup("tributary");
    MetricGroup group = tributaryGroup.addGroup(METRIC_GROUP);
    skipped = group.counter(RECORDS_SKIPPED);
    deadLettered = group.counter(RECORDS_DEAD_LETTERED);
    perTable = new HashMap<>();
  }

  @Override
  public void processElement(ChangeEvent e, Context ctx, Collector<ChangeEvent> out) {
    List<Violation> violations = checker.check(e);
    if (violations == null) {
      out.collect(e);
      return;
    }
    String reason = reason(violations);
    switch (mode) {
      case SKIP:
        skipped.inc();
        tableCounter(e, RECORDS_SKIPPED).inc();
        LOG.warn("Skipped a change (errors.mode skip): pipeline {}, table {}, key {}, op {}, stage {}: {}",
            pipelineName, e.tableId(), checker.keyText(e), e.op().code(), Stage.VALIDATE, reason);
        return;
      case DLQ:
        deadLettered.inc();
        tableCounter(e, RECORDS_DEAD_LETTERED).inc();
        LOG.warn("Sent a change to the dead-letter topic {} (errors.mode dlq): pipeline {}, table {}, key {}, op {}, "
            + "stage {}: {}", dlqTopic, pipelineName, e.tableId(), checker.keyText(e), e.op().code(), Stage.VALIDATE,
            reason);
        ctx.output(DEAD_LETTERS,
            DeadLetters.record(dlqTopic, pipelineName, e, Stage.VALIDATE, reason, columns(violations)));
        return;
      default:
        throw new ChangeValidationException(
            "Pipeline " + pipelineName + ", table " + e.tableId() + ", stage " + Stage.VALIDATE + ", op "
                + e.op().code() + ", key " + checker.keyText(e) + ": " + reason
                + ". errors.mode is fail, so the job stops; correct the row in the source, or set errors.mode to"
                + " skip or dlq to let such changes pass",
            violations);
    }
  }

  /** The violations joined with "; " (each names its column and image). */
  static String reason(List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    for (Violation v : violations) {
      sb.append(sb.length() == 0 ? "" : "; ").append(v);
    }
    return sb.toString();
  }

  private static List<String> columns(List<Violation> violations) {
    List<String> out = new ArrayList<>(violations.size());
    for (Violation v : violations) {
      if (v.column() != null && !out.contains(v.column())) {
        out.add(v.column());
      }
    }
    return out;
  }

  private Counter tableCounter(ChangeEvent e, String name) {
    String table = e.tableId().toString();
    return perTable.computeIfAbsent(table + "#" + name, k -> tributaryGroup.addGroup("table", table).counter(name));
  }
}
