package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.runtime.cli.TributaryCli;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Runs {@code tributary demo --source mysql} in this JVM, smaller than its defaults: embedded MariaDB 10.11, the MySQL
 * flavour of the shop database (common MySQL types, a table the pipeline excludes), {@code
 * config/examples/shop-mysql.yaml} into Kafka and Hudi, a live workload, and the row-by-row comparison. Checks that it
 * exits 0 and reports a match for both captured tables in both sinks, and that the excluded table was not captured.
 */
class MySqlDemoITCase {
  @Test
  void mySqlDemoRunsEndToEndAndReportsAMatch() {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try (PrintStream tee = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
      System.setOut(tee);
      code = new CommandLine(new TributaryCli())
          .execute("demo", "--source", "mysql", "--customers", "2000", "--orders", "5000", "--workload-seconds", "5",
              "--tx-per-second", "40");
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("Running pipeline 'shop-mysql-demo' from config/examples/shop-mysql.yaml (2 tables, 2 sinks)");
    assertThat(out).containsPattern("applied [1-9]\\d* inserts, [1-9]\\d* updates, [1-9]\\d* deletes");
    for (String table : new String[] {"customers", "orders"}) {
      for (String sink : new String[] {"kafka-0", "hudi-1"}) {
        assertThat(out).containsPattern("shop\\." + table + "\\s+" + sink + "\\s+(\\d+)\\s+\\1\\s+0\\s+0\\s+0\\s+MATCH");
      }
    }
    assertThat(out).containsPattern("shop\\.customers\\s+kafka-0\\s+2000\\s");
    assertThat(out).doesNotContainPattern("shop\\.audit_log\\s+(kafka|hudi)");
    assertThat(out).contains("database, Kafka and Hudi match");
  }

  /** Writes to two streams. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
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
