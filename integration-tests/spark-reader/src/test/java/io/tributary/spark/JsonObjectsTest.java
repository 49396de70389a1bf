package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonObjectsTest {

  @Test
  void parsesScalarsInDocumentOrder() {
    Map<String, Object> m =
        JsonObjects.parse("{\"b\":1,\"a\":-2.5e1,\"s\":\"x\\\"y\\\\z\\u00e9\\n\",\"t\":true,\"f\":false,\"n\":null}");

    assertThat(m.keySet()).containsExactly("b", "a", "s", "t", "f", "n");
    assertThat(m.values()).containsExactly(1L, -25.0d, "x\"y\\z\u00e9\n", true, false, null);
  }

  @Test
  void parsesNestedValues() {
    assertThat(JsonObjects.parse("{ \"o\" : {\"l\": [1, \"2\", []]} }"))
        .containsEntry("o", Map.of("l", List.of(1L, "2", List.of())));
  }

  @Test
  void roundTripsWhatTheDumpEscapes() {
    StringBuilder sb = new StringBuilder("{\"k\":");
    HudiTableDump.string(sb, "tab\tquote\"ctl\u0001");
    sb.append('}');

    assertThat(JsonObjects.parse(sb.toString())).containsEntry("k", "tab\tquote\"ctl\u0001");
  }

  @Test
  void rejectsMalformedInputNamingTheOffset() {
    assertThatThrownBy(() -> JsonObjects.parse("{\"a\":1,}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> JsonObjects.parse("{\"a\":1} x")).hasMessageContaining("trailing");
  }

  @Test
  void splitsTheDumpOutputByTableHeader() {
    List<String> lines =
        List.of("#table\t/a\t1", "{\"id\":1}", "#table\t/b\t0", "");
    Map<Path, List<Map<String, Object>>> r = HudiSparkReader.parse(lines, List.of(Path.of("/a"), Path.of("/b")));

    assertThat(r.get(Path.of("/a"))).containsExactly(Map.of("id", 1L));
    assertThat(r.get(Path.of("/b"))).isEmpty();
  }
}
