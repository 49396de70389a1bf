package io.tributary.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.config.ConfigProblem;
import io.tributary.config.Durations;
import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.runtime.PipelinePlan;
import io.tributary.runtime.PipelinePlanner;
import io.tributary.runtime.check.CheckException;
import io.tributary.runtime.check.CheckSink;
import io.tributary.runtime.check.CheckSource;
import io.tributary.runtime.check.ComparisonTable;
import io.tributary.runtime.check.PipelineVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary verify FILE}: compares every table of a pipeline in its source with the latest state of each
 * Kafka topic (last record per message key, tombstones and op {@code d} as deletes, {@code read_committed}) and each
 * Hudi table (Spark snapshot query), and prints, per table and sink, source rows, sink rows, missing, extra and
 * differing keys with up to five example keys. Works on a running pipeline: it first waits until the pipeline has
 * committed to its sinks every change made before the check started, and re-checks differing keys in later rounds
 * (see {@link PipelineVerifier}). A stopped pipeline is compared as it is.
 *
 * <p>Exit codes: 0 every table matches in every sink; 1 at least one mismatch; 2 the check cannot be made (invalid
 * file, a service unreachable, no replication slot, the pipeline did not catch up within {@code --timeout}).
 */
@Command(name = "verify", description = "Compare every table of a pipeline with its Kafka topics and Hudi tables.")
public final class VerifyCommand implements Callable<Integer> {
  /** Exit code: the check cannot be made. */
  public static final int CANNOT_CHECK = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline YAML")
  Path file;

  @Option(names = "--timeout", defaultValue = "5min", converter = DurationConverter.class,
      description = "longest wait per round for the pipeline to catch up, e.g. 90s, 5min (default ${DEFAULT-VALUE})")
  Duration timeout;

  @Option(names = "--rounds", defaultValue = "3",
      description = "comparison rounds; a difference counts only if it shows in every round (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--json", paramLabel = "FILE", description = "also write the result as JSON to this file")
  Path json;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be at least 1, was " + rounds);
    }
    PrintStream out = System.out;
    FactoryRegistry factories = FactoryRegistry.load();
    PipelinePlan plan;
    try {
      ParseResult parsed = new PipelineParser(factories, SecretResolver.fromSystem()).parseWithWarnings(file);
      parsed.warnings().forEach(w -> out.println("warning: " + w));
      plan = PipelinePlanner.plan(parsed.definition(), factories);
    } catch (PipelineValidationException e) {
      out.println(file + ": " + e.problems().size() + " problem(s)");
      for (ConfigProblem p : e.problems()) {
        out.println("  " + p);
      }
      return fail(out, file + " has problems; nothing was checked");
    } catch (Exception e) {
      return fail(out, file + ": " + e.getMessage());
    }
    String name = plan.definition().pipeline().name();
    try {
      List<CheckSink> sinks = CheckSink.of(plan.definition());
      if (sinks.isEmpty()) {
        return fail(out, "pipeline " + name + " has no kafka or hudi sink to compare with");
      }
      try (CheckSource source = CheckSource.of(plan)) {
        out.printf("Verifying pipeline %s: %d table(s) in %d sink(s)%n", name, plan.tables().size(), sinks.size());
        out.println("Source: " + source.describe());
        PipelineVerifier.Settings d =
            PipelineVerifier.Settings.defaults(plan.definition().pipeline().checkpointInterval());
        PipelineVerifier.Settings settings =
            new PipelineVerifier.Settings(timeout, rounds, d.grace(), d.pollInterval(), d.idleWait());
        PipelineVerifier.Result result =
            new PipelineVerifier(source, sinks, settings, line -> out.println("  " + line)).verify(plan.tables());
        for (String note : result.notes()) {
          out.println("Note: " + note);
        }
        boolean ok = ComparisonTable.print(out, result.comparisons());
        if (json != null) {
          write(json, result.toJson(name));
        }
        out.printf("%n%s: pipeline %s, %d table/sink pair(s), %d round(s), %.0f s%n", ok ? "MATCH" : "MISMATCH",
            name, result.comparisons().size(), result.rounds(), result.elapsed().toMillis() / 1000.0);
        return ok ? 0 : 1;
      }
    } catch (CheckException e) {
      return fail(out, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(out, "interrupted");
    }
  }

  private int fail(PrintStream out, String message) throws IOException {
    out.println("Cannot verify: " + message);
    if (json != null) {
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode root = m.createObjectNode();
      root.put("result", "ERROR");
      root.put("error", message);
      write(json, m.writeValueAsString(root));
    }
    return CANNOT_CHECK;
  }

  private static void write(Path path, String text) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, text + System.lineSeparator(), StandardCharsets.UTF_8);
  }

  /** Reads {@code 90s}, {@code 5min}, {@code 500ms} ({@link Durations#parse}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = Durations.parse(value);
      if (d.isZero() || d.isNegative()) {
        throw new CommandLine.TypeConversionException("must be positive, e.g. 90s or 5min");
      }
      return d;
    }
  }
}
