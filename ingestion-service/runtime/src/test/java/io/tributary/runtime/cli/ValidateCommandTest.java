package io.tributary.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tributary validate}: exit codes and what it prints, with the real factories and no services. */
class ValidateCommandTest {
  private static String[] run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      code = new CommandLine(new TributaryCli()).execute(args);
    } finally {
      System.setOut(original);
    }
    return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void everyProblemIsPrintedWithItsLineAndTheExitCodeIsOne() {
    String[] r = run("validate", "src/test/resources/pipelines/invalid-real-factories.yaml");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).contains("6 problem(s)")
        .contains("pipeline.parallelism (line 3)")
        .contains("sinks[1].table.type (line 19): Invalid value 'MOR'");
  }

  @Test
  void aFactoryCheckBeyondOptionParsingIsAProblemToo() {
    String[] r = run("validate", "src/test/resources/pipelines/managed-debezium-key.yaml");
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[1]).contains("source.debezium.slot.name: Tributary sets 'slot.name' itself");
  }

  @Test
  void aValidPipelinePrintsOk() {
    String[] r = run("validate", "src/test/resources/pipelines/valid.yaml");
    assertThat(r[0]).as(r[1]).isEqualTo("0");
    assertThat(r[1]).contains("valid.yaml: OK");
  }
}
