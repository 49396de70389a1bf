package io.tributary.runtime;

import io.tributary.config.PipelineDefinition;
import io.tributary.config.spi.PipelineSink;
import io.tributary.runtime.errors.ValidateStage;
import io.tributary.runtime.progress.ProgressMetricsFactory;
import io.tributary.runtime.progress.TableEventCounter;
import io.tributary.schema.ChangeEvent;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Builds the Flink job of a pipeline: source, per-table progress counters, the VALIDATE stage (which applies
 * {@code errors.mode} to changes no sink can write, with a dead-letter writer under {@code dlq}), then every sink on
 * the validated stream.
 *
 * <p>Operator uids are stable ({@code tributary-source-*}, {@code tributary-progress}, {@code tributary-validate},
 * {@code tributary-dlq-writer}, {@code tributary-<sink>-*}), so a job restored from a checkpoint or savepoint maps its
 * state back (a savepoint of a job built before the VALIDATE stage existed restores too: the new operators start
 * without state).
 */
public final class JobComposer {
  /** Uid of the progress-counting operator chained after the source. */
  public static final String PROGRESS_UID = "tributary-progress";

  private JobComposer() {}

  /**
   * Flink settings for running a pipeline embedded: checkpoints every {@code checkpoint.interval} into
   * {@code <stateDir>/checkpoints}, retained on cancel so that the next run resumes; a bounded restart strategy;
   * the in-JVM progress reporter; one task slot per unit of parallelism.
   *
   * @param stateDir local directory for checkpoints and savepoints (created by Flink as needed)
   * @param restartAttempts restarts allowed after a failure before the job fails (fixed delay of 2 s)
   */
  public static Configuration embeddedConfiguration(PipelineDefinition def, Path stateDir, int restartAttempts) {
    Configuration conf = new Configuration();
    conf.setString("state.backend.type", "hashmap");
    conf.setString("execution.checkpointing.dir", Checkpoints.checkpointDir(stateDir).toUri().toString());
    conf.setString("execution.checkpointing.savepoint-dir", Checkpoints.savepointDir(stateDir).toUri().toString());
    conf.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    conf.setString("execution.checkpointing.num-retained", "2");
    conf.setString("restart-strategy.type", "fixed-delay");
    conf.setString("restart-strategy.fixed-delay.attempts", Integer.toString(restartAttempts));
    conf.setString("restart-strategy.fixed-delay.delay", "2 s");
    conf.setString("metrics.reporter.tributary.factory.class", ProgressMetricsFactory.class.getName());
    conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(def.pipeline().parallelism()));
    conf.setString("parallelism.default", Integer.toString(def.pipeline().parallelism()));
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("jobmanager.bind-host", "127.0.0.1");
    conf.setString("taskmanager.bind-host", "127.0.0.1");
    conf.setString("taskmanager.host", "127.0.0.1");
    return conf;
  }

  /**
   * Adds the pipeline to {@code env}: parallelism, checkpointing (exactly-once barriers, the pipeline's interval),
   * the source, the progress counters, the VALIDATE stage and every sink. Runs on the client after the sinks'
   * {@code prepare}; under {@code errors.mode: dlq} it first creates the dead-letter topic if missing (see
   * {@link ValidateStage#prepare}).
   *
   * @throws IllegalArgumentException if {@code errors.mode} is dlq and no Kafka cluster is known for the dead-letter
   *     topic
   * @throws io.tributary.sink.kafka.KafkaSinkException if the dead-letter topic cannot be created
   */
  public static void compose(StreamExecutionEnvironment env, PipelinePlan plan) {
    PipelineDefinition def = plan.definition();
    env.setParallelism(def.pipeline().parallelism());
    Duration interval = def.pipeline().checkpointInterval();
    env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
    env.getCheckpointConfig().setMinPauseBetweenCheckpoints(Math.min(500, interval.toMillis() / 2));
    // Flink's 100 ms network buffer timeout dominates latency at parallelism > 1 (STACK.md item 6).
    env.setBufferTimeout(20);
    // Chained operators hand records on without a copy. Without this Flink deep-copies every ChangeEvent with Kryo
    // between the source, the progress counter and each sink's first operator (a third of the source thread's CPU
    // in the streaming benchmark). Safe: every ChangeEvent is a new immutable object, and no operator keeps or
    // changes its input after processing it.
    env.getConfig().enableObjectReuse();
    DataStream<ChangeEvent> events =
        plan.source()
            .createStream(env, plan.tables())
            .map(new TableEventCounter())
            .returns(ChangeEvent.class)
            .uid(PROGRESS_UID)
            .name("progress");
    ValidateStage.prepare(plan);
    DataStream<ChangeEvent> validated = ValidateStage.attach(events, plan);
    for (PipelineSink sink : plan.sinks()) {
      sink.attach(validated, plan.tables());
    }
  }
}
