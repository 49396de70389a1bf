package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Writes a Hudi table with Spark in one child JVM, then reads it back through {@link HudiSparkReader}. */
class HudiSparkReaderITCase {
  private static Path dir;
  private static Path table;

  @BeforeAll
  static void writeSampleTable() throws Exception {
    dir = Files.createTempDirectory("spark-reader-it-");
    table = dir.resolve("sample");
    Path work = Files.createDirectory(dir.resolve("work"));
    String testClasses =
        Path.of(SampleTableWriter.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    HudiSparkReader.runChild(
        SampleTableWriter.class.getName(), List.of(table.toString()), List.of(testClasses), work, "write sample");
  }

  @AfterAll
  static void cleanUp() {
    if (dir != null) {
      HudiSparkReader.deleteQuietly(dir);
    }
  }

  @Test
  void readsEveryRowSortedByKeyWithDocumentedValueShapes() {
    List<Map<String, Object>> rows = HudiSparkReader.read(table);

    Map<String, Object> one = new LinkedHashMap<>();
    one.put("id", 1L);
    one.put("name", "plain");
    one.put("price", "12.50");
    one.put("day", 1L);
    one.put("ts", 1_000_002L);
    one.put("raw", "AQL/");
    one.put("flag", true);
    one.put("score", 1.5d);
    one.put("note", null);
    one.put("ord", 1L);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsExactlyEntriesOf(one);
    assertThat(rows.get(1))
        .containsEntry("id", 2L)
        .containsEntry("name", "quote\" tab\t")
        .containsEntry("price", "-0.05")
        .containsEntry("day", 19782L)
        .containsEntry("ts", 1_709_208_000_000_000L)
        .containsEntry("raw", "")
        .containsEntry("flag", false)
        .containsEntry("score", -2.25d)
        .containsEntry("note", "n");
  }

  @Test
  void failsWithTheChildsErrorForAMissingTable() {
    assertThatThrownBy(() -> HudiSparkReader.read(dir.resolve("no-such-table")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exit code 1");
  }
}
