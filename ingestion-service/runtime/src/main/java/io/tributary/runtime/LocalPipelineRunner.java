package io.tributary.runtime;

import io.tributary.runtime.progress.ProgressMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline on an embedded Flink MiniCluster in this JVM, with checkpoints under a local state directory.
 * A new run resumes from the newest checkpoint or savepoint found there, so a restarted pipeline continues from
 * its last log position instead of snapshotting again. {@link #stop()} takes a savepoint (which commits the
 * Kafka transactions and Hudi instants of the final checkpoint) and ends the job.
 */
public final class LocalPipelineRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPipelineRunner.class);

  private final PipelinePlan plan;
  private final Path stateDir;
  private final JobClient client;
  private final Optional<Path> resumedFrom;
  private final CompletableFuture<org.apache.flink.api.common.JobExecutionResult> result;

  private LocalPipelineRunner(PipelinePlan plan, Path stateDir, JobClient client, Optional<Path> resumedFrom) {
    this.plan = plan;
    this.stateDir = stateDir;
    this.client = client;
    this.resumedFrom = resumedFrom;
    this.result = client.getJobExecutionResult();
  }

  /**
   * Prepares the sinks, builds the job and submits it to a new MiniCluster; returns once the job is submitted.
   *
   * @param stateDir directory for checkpoints and savepoints; created if missing
   * @param restartAttempts restarts allowed after a failure before the job fails
   * @throws Exception if a sink cannot prepare (registry, topic or table errors) or the job cannot be submitted
   */
  public static LocalPipelineRunner start(PipelinePlan plan, Path stateDir, int restartAttempts) throws Exception {
    Configuration conf = JobComposer.embeddedConfiguration(plan.definition(), stateDir, restartAttempts);
    Optional<Path> resume = Checkpoints.latest(stateDir);
    java.util.List<String> added = Checkpoints.checkTables(stateDir, plan.tables(), resume.isPresent());
    if (!added.isEmpty()) {
      LOG.info("Tables added since the last checkpoint: {}; they are snapshotted, the others resume where they were",
          added);
    }
    resume.ifPresent(p -> conf.setString("execution.savepoint.path", p.toUri().toString()));
    resume.ifPresent(LocalPipelineRunner::warnIfOld);
    resume.ifPresentOrElse(
        p -> LOG.info("Resuming pipeline {} from {}", plan.definition().pipeline().name(), p),
        () -> LOG.info("No checkpoint under {}: starting pipeline {} fresh", stateDir, plan.definition().pipeline().name()));
    PipelinePlanner.prepareSinks(plan);
    ProgressMetrics.reset();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
    JobComposer.compose(env, plan);
    JobClient client = env.executeAsync("tributary-" + plan.definition().pipeline().name());
    return new LocalPipelineRunner(plan, stateDir, client, resume);
  }

  /** Age past which a checkpoint's open Kafka transactions may have been aborted by the brokers (default timeout). */
  static final Duration KAFKA_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  /**
   * Warns when resuming from an old checkpoint: Kafka transactions pre-committed for it are committed on restore, but
   * a broker aborts a transaction older than its timeout ({@code transaction.timeout}, default 15 min), and Flink's
   * Kafka sink then cannot commit it. A savepoint taken by a clean stop has nothing left open.
   */
  private static void warnIfOld(Path checkpoint) {
    try {
      Duration age = Duration.between(
          java.nio.file.Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toInstant(), java.time.Instant.now());
      if (age.compareTo(KAFKA_TRANSACTION_TIMEOUT) > 0 && !checkpoint.getFileName().toString().startsWith("savepoint")) {
        LOG.warn("Resuming from checkpoint {} taken {} min ago: Kafka transactions it left open may have been aborted "
            + "by the brokers after transaction.timeout (default 15 min); compare the topics with the source",
            checkpoint, age.toMinutes());
      }
    } catch (java.io.IOException e) {
      LOG.debug("cannot read the age of {}", checkpoint, e);
    }
  }

  /** The plan this runner runs. */
  public PipelinePlan plan() {
    return plan;
  }

  /** Flink's client of the running job (status, accumulators, savepoints). */
  public JobClient jobClient() {
    return client;
  }

  /** The checkpoint or savepoint this run resumed from, empty for a fresh start. */
  public Optional<Path> resumedFrom() {
    return resumedFrom;
  }

  /**
   * The job's current status.
   *
   * @throws Exception if the MiniCluster does not answer within 30 s
   */
  public JobStatus status() throws Exception {
    return client.getJobStatus().get(30, TimeUnit.SECONDS);
  }

  /**
   * Whether the job reached a terminal state (finished, failed, canceled). Non-blocking: looks at the job's result
   * future, which the MiniCluster completes when the job ends. (Polling the job status instead could time out under
   * load, which once ended the progress loop while the job kept running.)
   */
  public boolean isDone() {
    return result.isDone();
  }

  /**
   * Stops the job with a savepoint under {@code <stateDir>/savepoints}; the next run resumes from it.
   *
   * @return the savepoint path
   * @throws Exception if the savepoint fails within {@code timeout}; the job is then still running
   */
  public String stop(Duration timeout) throws Exception {
    java.time.Instant attempt = java.time.Instant.now().minusSeconds(1);
    CompletableFuture<String> f =
        client.stopWithSavepoint(
            false, Checkpoints.savepointDir(stateDir).toUri().toString(), SavepointFormatType.CANONICAL);
    String path;
    try {
      path = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the savepoint may exist although the stop failed (a task failed before committing it): never resume from it
      for (Path moved : Checkpoints.invalidateSavepointsSince(stateDir, attempt)) {
        LOG.warn("Stop with savepoint failed; moved its savepoint aside to {}", moved);
      }
      throw e;
    }
    LOG.info("Pipeline {} stopped with savepoint {}", plan.definition().pipeline().name(), path);
    return path;
  }

  /** Cancels the job; retained checkpoints stay for the next run. */
  public void cancel() throws Exception {
    client.cancel().get(60, TimeUnit.SECONDS);
  }

  /**
   * Waits until the job ends.
   *
   * @throws Exception the job's failure cause when it failed
   */
  public void awaitTermination() throws Exception {
    result.get();
  }

  /** Stops the job with a savepoint if it still runs, else does nothing; falls back to cancel after 2 minutes. */
  @Override
  public void close() {
    if (isDone()) {
      return;
    }
    try {
      stop(Duration.ofMinutes(2));
    } catch (Exception e) {
      LOG.warn("Stop with savepoint failed ({}); cancelling, the next run resumes from the last checkpoint", e.toString());
      try {
        cancel();
      } catch (Exception e2) {
        LOG.warn("Cancel failed: {}", e2.toString());
      }
    }
  }
}
