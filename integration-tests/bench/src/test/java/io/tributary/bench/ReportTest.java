package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @Test
  void printsAlignedColumnsAndWritesTheSameFiguresAsJson(@TempDir Path dir) throws Exception {
    Report report = new Report();
    report.machine().put("cores", 2);
    Report.Section s = report.section("Snapshot");
    var a = s.row();
    a.put("run", "ceiling");
    a.put("rows/s", 123456.7);
    a.put("vs COPY", 1.0);
    var b = s.row();
    b.put("run", "tributary: kafka");
    b.put("rows/s", 61728.3);
    b.put("vs COPY", Report.ratio(61728.3, 123456.7));
    b.put("note", null);
    s.note("a note");

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("== Snapshot").contains("a note");
    String[] lines = text.lines().filter(l -> l.contains("ceiling") || l.contains("tributary: kafka")).toArray(String[]::new);
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).contains("123,457").contains("1.00");
    assertThat(lines[1]).contains("61,728").contains("0.50").endsWith("-");
    assertThat(lines[0].indexOf("1.00") + 4).as("right-aligned ratio column").isEqualTo(lines[1].indexOf("0.50") + 4);

    Path json = dir.resolve("r.json");
    report.writeJson(json);
    JsonNode root = new ObjectMapper().readTree(Files.readString(json));
    assertThat(root.get("machine").get("cores").asInt()).isEqualTo(2);
    JsonNode rows = root.get("sections").get(0).get("rows");
    assertThat(rows.get(1).get("vs COPY").asDouble()).isCloseTo(61728.3 / 123456.7, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(rows.get(1).get("note").isNull()).isTrue();
  }

  @Test
  void ratioIsUnknownWhenEitherSideIs() {
    assertThat(Report.ratio(null, 2.0)).isNull();
    assertThat(Report.ratio(2.0, 0.0)).isNull();
    assertThat(Report.ratio(3.0, 2.0)).isEqualTo(1.5);
  }
}
