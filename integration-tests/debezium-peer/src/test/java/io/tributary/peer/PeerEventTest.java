package io.tributary.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerEventTest {

  @Test
  void printsOneLineOfJsonAndParsesItBack() {
    PeerEvent e =
        PeerEvent.of("progress", "records", 12, "acked", 10L, "rate", 1.5, "ok", true, "note", null, "msg", "a\"b\\c\nd\te\u0001");

    String json = e.toJson();

    assertThat(json)
        .isEqualTo(
            "{\"event\":\"progress\",\"records\":12,\"acked\":10,\"rate\":1.5,\"ok\":true,\"note\":null,"
                + "\"msg\":\"a\\\"b\\\\c\\nd\\te\\u0001\"}")
        .doesNotContain("\n");
    PeerEvent back = PeerEvent.parse(json);
    assertThat(back.name()).isEqualTo("progress");
    assertThat(back.fields()).isEqualTo(e.fields());
    assertThat(back.getLong("records")).isEqualTo(12L);
    assertThat(back.getLong("missing", -1)).isEqualTo(-1);
    assertThat(back.getString("msg")).isEqualTo("a\"b\\c\nd\te\u0001");
    assertThat(back.get("note")).isEmpty();
  }

  @Test
  void parsesWhitespaceNegativeNumbersExponentsAndUnicodeEscapes() {
    PeerEvent e = PeerEvent.parse(" { \"event\" : \"x\" , \"n\" : -3 , \"d\" : 2.5e3 , \"s\" : \"\\u00e9\\/\" } ");

    assertThat(e.getLong("n")).isEqualTo(-3L);
    assertThat(e.fields()).containsEntry("d", 2500.0).containsEntry("s", "é/");
  }

  @Test
  void refusesLinesThatAreNotFlatEvents() {
    assertThatThrownBy(() -> PeerEvent.parse("Picked up JAVA_TOOL_OPTIONS"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a peer event");
    assertThatThrownBy(() -> PeerEvent.parse("{\"records\":1}"))
        .hasMessageContaining("no string field 'event'");
    assertThatThrownBy(() -> PeerEvent.parse("{\"event\":\"x\",\"nested\":{\"a\":1}}"))
        .hasMessageContaining("a string, number, boolean or null expected at column 23");
    assertThatThrownBy(() -> PeerEvent.parse("{\"event\":\"x\"} trailing"))
        .hasMessageContaining("end of line expected");
    assertThatThrownBy(() -> PeerEvent.parse("{\"event\":\"x\""))
        .hasMessageContaining("unexpected end");
  }

  @Test
  void refusesUnsupportedValuesAndTheReservedKey() {
    assertThatThrownBy(() -> PeerEvent.of("x", "when", new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("field when: java.lang.Object is not a protocol value");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", "y");
    assertThatThrownBy(() -> PeerEvent.of("x", m)).hasMessageContaining("reserved");
    assertThatThrownBy(() -> PeerEvent.of("x", "odd")).hasMessageContaining("pairs");
    assertThatThrownBy(() -> PeerEvent.parse("{\"event\":\"x\"}").getLong("records"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no whole-number field 'records'");
  }

  @Test
  void printsNonFiniteDoublesAsNull() {
    assertThat(PeerEvent.of("x", "v", Double.NaN).toJson()).isEqualTo("{\"event\":\"x\",\"v\":null}");
  }
}
