package io.tributary.runtime.cli;

import io.tributary.config.ConfigProblem;
import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.runtime.PipelinePlanner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary validate FILE}: parses and validates a pipeline and prints every problem with its path and YAML
 * line. With {@code --live} it also connects to the source and checks the tables (patterns match, every column type
 * is mapped, primary keys exist). Exit code 0 when there is no problem, 1 otherwise.
 */
@Command(name = "validate", description = "Check a pipeline YAML and print every problem at once.")
public final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline YAML")
  Path file;

  @Option(names = "--live", description = "also connect to the source and check its tables and column types")
  boolean live;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    FactoryRegistry factories = FactoryRegistry.load();
    ParseResult parsed;
    try {
      parsed = new PipelineParser(factories, SecretResolver.fromSystem()).parseWithWarnings(file);
    } catch (PipelineValidationException e) {
      print(out, file + ": " + e.problems().size() + " problem(s)", e);
      return 1;
    }
    for (ConfigProblem w : parsed.warnings()) {
      out.println("warning: " + w);
    }
    try {
      // the factories check what option parsing cannot (ranges, names, combinations); nothing connects yet
      factories.createSource(parsed.definition());
      factories.createSinks(parsed.definition());
    } catch (IllegalArgumentException e) {
      out.println(file + ": 1 problem");
      out.println("  " + e.getMessage());
      return 1;
    }
    if (live) {
      try {
        PipelinePlanner.plan(parsed.definition(), factories);
      } catch (PipelineValidationException e) {
        print(out, file + ": the source has " + e.problems().size() + " problem(s)", e);
        return 1;
      } catch (Exception e) {
        out.println(file + ": cannot check the source: " + e.getMessage());
        return 1;
      }
    }
    out.println(file + ": OK" + (live ? " (source checked)" : ""));
    return 0;
  }

  private static void print(PrintStream out, String header, PipelineValidationException e) {
    out.println(header);
    for (ConfigProblem p : e.problems()) {
      out.println("  " + p);
    }
  }
}
