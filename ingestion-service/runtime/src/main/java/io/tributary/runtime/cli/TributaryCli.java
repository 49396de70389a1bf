package io.tributary.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tributary} command line: {@code validate}, {@code run}, {@code verify} and {@code demo}. Exit codes:
 * 0 success, 1 problems found, a pipeline failed or {@code verify} found a mismatch, 2 usage errors (picocli's
 * default) or {@code verify} cannot check.
 */
@Command(
    name = "tributary",
    mixinStandardHelpOptions = true,
    version = "tributary 0.1.0",
    description = "Real-time ingestion and CDC hub: YAML pipelines into Kafka and Apache Hudi.",
    subcommands = {ValidateCommand.class, RunCommand.class, VerifyCommand.class, DemoCommand.class})
public final class TributaryCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the CLI and exits the JVM with the command's exit code. */
  public static void main(String[] args) {
    int code = new CommandLine(new TributaryCli()).execute(args);
    System.exit(code);
  }
}
