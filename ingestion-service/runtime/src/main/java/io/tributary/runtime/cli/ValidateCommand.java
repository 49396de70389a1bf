package io.tributary.runtime.cli;

import io.tributary.config.ConfigProblem;
import io.tributary.config.ParseResult;
import io.tributary.config.PipelineParser;
import io.tributary.config.PipelineValidationException;
import io.tributary.config.SecretResolver;
import io.tributary.config.spi.FactoryRegistry;
import io.tributary.config.spi.PipelineSink;
import io.tributary.config.spi.SourceDiscovery;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tributary validate FILE}: parses and validates a pipeline and prints every problem with its path and YAML
 * line. With {@code --live} it also connects to the source and checks the tables (patterns match, every column type
 * is mapped, primary keys exist, the server's log settings and the user's privileges), the schema registry (would
 * every subject accept the table's schema under its compatibility level), Kafka and existing Hudi tables, and prints
 * every problem at once. Exit code 0 when there is no problem, 1 otherwise.
 */
@Command(name = "validate", description = "Check a pipeline YAML and print every problem at once.")
public final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the pipeline YAML")
  Path file;

  @Option(names = "--live", description = "also connect to the source, the registry and the sinks and check them")
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
      Integer result = live(out, parsed, factories);
      if (result != null) {
        return result;
      }
    }
    out.println(file + ": OK" + (live ? " (source, registry and sinks checked)" : ""));
    return 0;
  }

  /**
   * Connects to the source (discovery: tables, column types, primary keys, server settings, privileges) and lets every
   * sink check its services without changing anything (registry compatibility, Kafka, existing Hudi tables); prints
   * the source's warnings and every problem of both at once.
   *
   * @return 1 when there is a problem or the source cannot be reached, null when all is well
   */
  private Integer live(PrintStream out, ParseResult parsed, FactoryRegistry factories) {
    SourceDiscovery discovery;
    try {
      discovery = factories.createSource(parsed.definition()).discover();
    } catch (Exception e) {
      out.println(file + ": cannot check the source: " + e.getMessage());
      return 1;
    }
    for (String w : discovery.warnings()) {
      out.println("warning: " + w);
    }
    List<String> problems = new ArrayList<>();
    for (ConfigProblem p : discovery.problems()) {
      problems.add(p.toString());
    }
    if (!discovery.tables().isEmpty()) {
      for (PipelineSink sink : factories.createSinks(parsed.definition())) {
        try {
          problems.addAll(sink.preflight(discovery.tables()));
        } catch (RuntimeException e) {
          problems.add("a sink could not be checked: " + e.getMessage());
        }
      }
    }
    if (problems.isEmpty()) {
      return null;
    }
    out.println(file + ": " + problems.size() + " problem(s) found against the live source and sinks");
    for (String p : problems) {
      out.println("  " + p);
    }
    return 1;
  }

  private static void print(PrintStream out, String header, PipelineValidationException e) {
    out.println(header);
    for (ConfigProblem p : e.problems()) {
      out.println("  " + p);
    }
  }
}
