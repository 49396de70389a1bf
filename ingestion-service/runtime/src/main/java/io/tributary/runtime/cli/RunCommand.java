package io.tributary.runtime.cli;

import io.tributary.config.ConfigProblem;
import io.tributary.config.ParseResult;
import io.tributary.config.PipelineDefinition;
import io.tributary.config.PipelineParser;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.config.spi.SchemaChangeException;
import io.tributary.runtime.Checkpoints;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.PipelineSupervisor;
import io.tributary.runtime.progress.ProgressView;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary run FILE}: runs a pipeline on an embedded Flink MiniCluster until Ctrl-C (or until the source
 * ends, for {@code startup.mode: snapshot}). Checkpoints go to {@code pipeline.state.dir} (default
 * {@code ./.tributary/<name>}); a second run resumes from the newest checkpoint or savepoint. Ctrl-C stops with a
 * savepoint, so nothing is lost or written twice.
 */
@Command(name = "run", description = "Run a pipeline on an embedded Flink (resumes from its last checkpoint).")
public final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline YAML")
  Path file;

  @Option(names = "--state-dir", description = "checkpoint directory (default: pipeline.state.dir or ./.tributary/<name>)")
  Path stateDir;

  @Option(names = "--restart-attempts", defaultValue = "5", description = "restarts after a failure before giving up (default ${DEFAULT-VALUE})")
  int restartAttempts;

  @Override
  public Integer call() throws Exception {
    FactoryRegistry factories = FactoryRegistry.load();
    PipelinePlan plan;
    try {
      ParseResult parsed = new PipelineParser(factories, SecretResolver.fromSystem()).parseWithWarnings(file);
      parsed.warnings().forEach(w -> System.out.println("warning: " + w));
      plan = PipelinePlanner.plan(parsed.definition(), factories);
    } catch (PipelineValidationException e) {
      System.out.println(file + ": " + e.problems().size() + " problem(s)");
      for (ConfigProblem p : e.problems()) {
        System.out.println("  " + p);
      }
      return 1;
    } catch (IllegalArgumentException e) {
      System.out.println(file + ": " + e.getMessage());
      return 1;
    }
    Path state = stateDir != null ? stateDir : defaultStateDir(plan.definition());
    System.out.printf(
        "Pipeline %s: %d table(s), ~%d rows to snapshot, state in %s%n",
        plan.definition().pipeline().name(), plan.tables().size(), plan.estimatedRows(), state);
    PipelineSupervisor runner;
    try {
      runner = PipelineSupervisor.start(plan, factories, state, restartAttempts, System.out::println,
          plan.definition().pipeline().tableDiscoveryInterval());
    } catch (Exception e) {
      System.out.println("Pipeline did not start: " + e.getMessage());
      return 1;
    }
    runner.runner().resumedFrom().ifPresent(p -> System.out.println("Resumed from " + p));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicBoolean stopAttempted = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopping.compareAndSet(false, true)) {
            System.out.println();
            System.out.println("Stopping with a savepoint... (press Ctrl-C again to quit at once)");
            runner.close();
            stopAttempted.set(true);
          } else {
            // a second signal: the user wants out now; the next run resumes from the last checkpoint
            Runtime.getRuntime().halt(130);
          }
        };
    // Ctrl-C and SIGTERM stop the job while the JVM still runs normally: Hudi's log writer registers a JVM shutdown
    // hook for every file it opens, so a savepoint taken from inside a shutdown hook fails on MERGE_ON_READ tables.
    for (String signal : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(signal), s -> new Thread(stop, "tributary-stop").start());
      } catch (IllegalArgumentException e) {
        // the signal is not available on this platform: the shutdown hook below still stops the job
      }
    }
    Thread hook =
        new Thread(
            () -> {
              if (!stopping.get()) {
                stop.run();
              }
              try {
                stopped.await(3, TimeUnit.MINUTES);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "tributary-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      try (ProgressView view = new ProgressView(plan, System.out)) {
        while (!runner.isDone()) {
          if (stopAttempted.get() && !runner.isDone()) {
            Thread.sleep(2000);
            if (!runner.isDone()) {
              System.out.println("The job did not stop; see the log. The next run resumes from its last checkpoint.");
              return 1;
            }
          }
          view.refresh();
          Thread.sleep(500);
        }
      }
      runner.awaitTermination();
      if (stopping.get()) {
        System.out.println("Pipeline stopped with a savepoint; run the same command to resume from it.");
      } else {
        // ended by itself (startup.mode: snapshot): its checkpoints are not to be resumed from
        Checkpoints.markFinished(state);
        System.out.println("Pipeline ended.");
      }
      return 0;
    } catch (Exception e) {
      System.out.println(stopping.get()
          ? "Pipeline cancelled (the savepoint failed, see the log); the next run resumes from its last checkpoint."
          : "Pipeline failed: " + failureMessage(e));
      return 1;
    } finally {
      stopped.countDown();
    }
  }

  /** {@code pipeline.state.dir}, or {@code ./.tributary/<name>}. */
  static Path defaultStateDir(PipelineDefinition def) {
    String dir = def.pipeline().stateDir();
    return (dir != null ? Path.of(dir) : Path.of(".tributary", def.pipeline().name())).toAbsolutePath();
  }

  /** A schema change's or a refused evolution's own message, else the root cause. */
  static String failureMessage(Throwable e) {
    if (e instanceof PipelineSupervisor.SchemaEvolutionException) {
      return e.getMessage();
    }
    return SchemaChangeException.find(e).map(Throwable::getMessage).orElseGet(() -> rootMessage(e));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }
}
