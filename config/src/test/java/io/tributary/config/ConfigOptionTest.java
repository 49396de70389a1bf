package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.config.testing.TestLakeSinkFactory.TableType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigOptionTest {
  @Test
  void stringKeepsTheValueAsIs() {
    ConfigOption<String> o = ConfigOption.string("slot.name", "tributary", "Replication slot.");
    assertThat(o.parse(" a b ")).isEqualTo(" a b ");
    assertThat(o.key()).isEqualTo("slot.name");
    assertThat(o.defaultValue()).isEqualTo("tributary");
    assertThat(o.description()).isEqualTo("Replication slot.");
    assertThat(o.typeName()).isEqualTo("string");
  }

  @Test
  void integerAndLong() {
    ConfigOption<Integer> port = ConfigOption.integer("port", 5432, "Port.");
    assertThat(port.parse(" 5433 ")).isEqualTo(5433);
    assertThat(port.typeName()).isEqualTo("int");
    assertThatThrownBy(() -> port.parse("54x")).isInstanceOf(IllegalArgumentException.class).hasMessage("not an integer");
    assertThatThrownBy(() -> port.parse("9999999999")).hasMessage("not an integer");
    ConfigOption<Long> size = ConfigOption.longOption("size", null, "Bytes.");
    assertThat(size.parse("9999999999")).isEqualTo(9_999_999_999L);
    assertThat(size.defaultValue()).isNull();
    assertThatThrownBy(() -> size.parse("1.5")).hasMessage("not an integer");
  }

  @Test
  void booleanAcceptsOnlyTrueOrFalse() {
    ConfigOption<Boolean> o = ConfigOption.bool("enabled", false, "On.");
    assertThat(o.parse("TRUE")).isTrue();
    assertThat(o.parse(" false")).isFalse();
    assertThatThrownBy(() -> o.parse("yes")).hasMessage("use true or false");
  }

  @Test
  void durationUsesDurations() {
    ConfigOption<Duration> o = ConfigOption.duration("poll.interval", Duration.ofMillis(500), "Poll.");
    assertThat(o.parse("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(o.typeName()).isEqualTo("duration");
    assertThatThrownBy(() -> o.parse("soon")).hasMessageStartingWith("not a duration");
  }

  @Test
  void listSplitsOnCommasAndDropsBlanks() {
    ConfigOption<List<String>> o = ConfigOption.list("tables", List.of(), "Tables.");
    assertThat(o.parse("public.a, public.b ,,")).containsExactly("public.a", "public.b");
    assertThat(o.parse("")).isEmpty();
  }

  @Test
  void enumAcceptsNameOrHyphenatedLowerCase() {
    ConfigOption<TableType> o = ConfigOption.enumOption("table.type", TableType.class, TableType.MERGE_ON_READ, "T.");
    assertThat(o.parse("MERGE_ON_READ")).isEqualTo(TableType.MERGE_ON_READ);
    assertThat(o.parse("copy-on-write")).isEqualTo(TableType.COPY_ON_WRITE);
    assertThat(o.parse("Copy_On_Write")).isEqualTo(TableType.COPY_ON_WRITE);
    assertThatThrownBy(() -> o.parse("MOR")).hasMessage("use one of copy-on-write, merge-on-read");
  }

  @Test
  void withCheckAddsARuleAndKeepsTheRest() {
    ConfigOption<Integer> base = ConfigOption.integer("parallelism", 1, "Parallelism.");
    ConfigOption<Integer> checked = base.withCheck(p -> p >= 1, "must be at least 1");
    assertThat(checked.parse("4")).isEqualTo(4);
    assertThatThrownBy(() -> checked.parse("0")).hasMessage("must be at least 1");
    assertThatThrownBy(() -> checked.parse("x")).hasMessage("not an integer");
    assertThat(base.parse("0")).isZero();
    assertThat(checked).isEqualTo(base);
    assertThat(checked.defaultValue()).isEqualTo(1);
    assertThat(checked.typeName()).isEqualTo("int");
  }

  @Test
  void optionsGetParsesOrFailsWithTheKafkaConnectMessage() {
    ConfigOption<Integer> port = ConfigOption.integer("port", 5432, "Port.");
    Options options = new Options("source", Map.of("port", "x"), Map.of("port", 7));
    assertThatThrownBy(() -> options.get(port))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new ConfigProblem("source.port", 7, "Invalid value 'x' for configuration port: not an integer")));
    assertThat(Options.of("source", Map.of()).get(port)).isEqualTo(5432);
  }

  @Test
  void invalidSecretValuesAreMasked() {
    ConfigOption<Integer> o = ConfigOption.integer("db.password", null, "P.");
    assertThat(Options.invalid(o, "hunter2", new IllegalArgumentException("not an integer")))
        .isEqualTo("Invalid value ****** for configuration db.password: not an integer");
  }
}
