package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.config.testing.TestLakeSinkFactory;
import io.tributary.config.testing.TestSourceFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsDocTest {
  @Test
  void rendersAFactoryAsAMarkdownTable() {
    assertThat(OptionsDoc.markdown(new TestSourceFactory()))
        .isEqualTo(
            "| Key | Type | Default | Required | Description |\n"
                + "|---|---|---|---|---|\n"
                + "| `hostname` | string |  | yes | Host name or IP address of the database. |\n"
                + "| `password` | string |  | no | Database password; use ${env:NAME}. |\n"
                + "| `poll.interval` | duration | `500ms` | no | Time between polls of the change log. |\n"
                + "| `port` | int | `5432` | no | Database port. |\n"
                + "| `startup.mode` | enum | `initial` | no | Where reading starts. |\n"
                + "| `tables` | list |  | no | Tables to capture, schema.table or regular expressions. |\n"
                + "\n"
                + "Keys starting with `properties.` are passed through unvalidated.\n");
  }

  @Test
  void rendersEnumDefaultsHyphenatedAndEscapesPipes() {
    String md =
        OptionsDoc.markdown(
            Set.of(),
            Set.of(TestLakeSinkFactory.TABLE_TYPE, ConfigOption.string("sep", "|", "Separator, a | b.")),
            Set.of());
    assertThat(md)
        .contains("| `table.type` | enum | `merge-on-read` | no | Table type. |\n")
        .contains("| `sep` | string | `\\|` | no | Separator, a \\| b. |\n")
        .doesNotContain("passed through");
  }

  @Test
  void rendersThePipelineBlock() {
    String md = OptionsDoc.markdown(PipelineOptions.PIPELINE_REQUIRED, PipelineOptions.PIPELINE_OPTIONAL, Set.of());
    assertThat(md.lines())
        .extracting(l -> l.split("\\|")[1].trim())
        .containsExactly(
            "Key",
            "---",
            "`name`",
            "`checkpoint.interval`",
            "`delivery.guarantee`",
            "`owner`",
            "`parallelism`",
            "`schema.change.behavior`",
            "`state.dir`",
            "`table.discovery.interval`");
    assertThat(md).contains("| `checkpoint.interval` | duration | `10s` | no |");
    assertThat(md).contains("| `delivery.guarantee` | enum | `exactly-once` | no |");
  }
}
