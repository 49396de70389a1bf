package io.tributary.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tributary verify}: the exit code 2 cases that need no service, with the real factories. */
class VerifyCommandTest {
  @TempDir Path dir;

  private static String[] run(String... args) {
    PrintStream original = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code;
    try {
      PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
      System.setOut(p);
      System.setErr(p);
      code = new CommandLine(new TributaryCli()).execute(args);
    } finally {
      System.setOut(original);
      System.setErr(originalErr);
    }
    return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void anInvalidPipelineCannotBeChecked() {
    String[] r = run("verify", "src/test/resources/pipelines/invalid-real-factories.yaml");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("6 problem(s)").contains("Cannot verify:").contains("nothing was checked");
  }

  @Test
  void anUnreachableSourceCannotBeCheckedAndTheJsonSaysSo() throws Exception {
    Path yaml = dir.resolve("p.yaml");
    Files.writeString(yaml, """
        pipeline:
          name: verify-unreachable
        source:
          type: postgres
          hostname: 127.0.0.1
          port: 1
          database: shop
          username: cdc
          tables: [public.orders]
          connect.timeout: 2s
        schema:
          registry.url: http://127.0.0.1:1/apis/ccompat/v7
        sinks:
          - type: kafka
            bootstrap.servers: 127.0.0.1:1
            topic: shop.${table}
        """);
    Path json = dir.resolve("out/result.json");
    String[] r = run("verify", yaml.toString(), "--json", json.toString());
    assertThat(r[0]).as(r[1]).isEqualTo("2");
    assertThat(r[1]).contains("Cannot verify:").contains("127.0.0.1:1");
    assertThat(Files.readString(json)).contains("\"result\" : \"ERROR\"").contains("127.0.0.1:1");
  }

  @Test
  void roundsAndTimeoutAreChecked() {
    String[] r = run("verify", "src/test/resources/pipelines/valid.yaml", "--rounds", "0");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--rounds must be at least 1");
    r = run("verify", "src/test/resources/pipelines/valid.yaml", "--timeout", "soon");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[1]).contains("--timeout");
  }

  @Test
  void theCommandIsListedInTheHelp() {
    String[] r = run("--help");
    assertThat(r[1]).contains("verify").contains("Compare every table of a pipeline");
  }
}
