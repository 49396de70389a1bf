package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.cli.TributaryCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@code tributary demo} (the README's first command) in this JVM, smaller than its defaults, and checks that it
 * reports database, Kafka and Hudi matching for both tables.
 */
class DemoITCase {
  @Test
  void demoRunsEndToEndAndReportsAMatch() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
      System.setOut(tee);
      code = new CommandLine(new TributaryCli())
          .execute("demo", "--customers", "2000", "--orders", "8000", "--workload-seconds", "5", "--tx-per-second", "40");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("database, Kafka and Hudi match");
    assertThat(out).containsPattern("shop\\.public\\.customers\\s+kafka-0\\s+\\d+\\s+\\d+\\s+0\\s+0\\s+0\\s+MATCH");
    assertThat(out).containsPattern("shop\\.public\\.orders\\s+hudi-1\\s+\\d+\\s+\\d+\\s+0\\s+0\\s+0\\s+MATCH");
  }

  /** Writes to two streams. */
  private static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
