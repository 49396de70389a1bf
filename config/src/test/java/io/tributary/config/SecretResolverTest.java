package io.tributary.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
  private final SecretResolver resolver = SecretResolver.withEnv(Map.of("PG_PASSWORD", "pa$$\\word", "USER", "cdc"));

  @Test
  void resolvesEnvReferencesAnywhereInAValue(@TempDir Path dir) {
    assertThat(resolver.resolve("${env:PG_PASSWORD}", dir)).isEqualTo("pa$$\\word");
    assertThat(resolver.resolve("user=${env:USER};pw=${env:PG_PASSWORD}", dir)).isEqualTo("user=cdc;pw=pa$$\\word");
    assertThat(resolver.resolve("no references, ${table} stays", dir)).isEqualTo("no references, ${table} stays");
  }

  @Test
  void resolvesFilesTrimmingTrailingLineBreaks(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("pw.txt"), "from-file\n", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("multi.txt"), "line1\nline2\r\n\n", StandardCharsets.UTF_8);
    assertThat(resolver.resolve("${file:pw.txt}", dir)).isEqualTo("from-file");
    assertThat(resolver.resolve("${file:" + dir.resolve("multi.txt") + "}", Path.of("/nonexistent")))
        .isEqualTo("line1\nline2");
  }

  @Test
  void missingEnvVariableNamesTheReference(@TempDir Path dir) {
    assertThatThrownBy(() -> resolver.resolve("x${env:NOPE}", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment variable NOPE referenced by ${env:NOPE} is not set");
    assertThatThrownBy(() -> resolver.resolve("${env:}", dir))
        .hasMessage("${env:} names no environment variable; write ${env:NAME}");
  }

  @Test
  void unreadableFilesAreReportedWithoutContent(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> resolver.resolve("${file:missing.txt}", dir))
        .hasMessage("file " + dir.resolve("missing.txt") + " referenced by ${file:missing.txt} does not exist");
    assertThatThrownBy(() -> resolver.resolve("${file:.}", dir))
        .hasMessage("file " + dir.resolve(".") + " referenced by ${file:.} is a directory");
    Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 's', 'e', 'c'});
    assertThatThrownBy(() -> resolver.resolve("${file:bin}", dir))
        .hasMessage("file " + dir.resolve("bin") + " referenced by ${file:bin} is not UTF-8 text")
        .hasMessageNotContaining("sec");
  }

  @Test
  void unknownReferenceKindsAreErrors(@TempDir Path dir) {
    assertThatThrownBy(() -> resolver.resolve("${vault:secret/pg}", dir))
        .hasMessage("unknown reference ${vault:secret/pg}; use ${env:NAME} or ${file:PATH}");
  }

  @Test
  void detectsAndStripsReferences() {
    assertThat(SecretResolver.hasReference("a ${env:X} b")).isTrue();
    assertThat(SecretResolver.hasReference("${file:/run/secrets/pg}")).isTrue();
    assertThat(SecretResolver.hasReference("shop.${schema}.${table}")).isFalse();
    assertThat(SecretResolver.hasReference(null)).isFalse();
    assertThat(SecretResolver.withoutReferences("${env:A}.${table}")).isEqualTo(".${table}");
  }

  @Test
  void systemResolverReadsTheProcessEnvironment(@TempDir Path dir) {
    String name = System.getenv().keySet().stream().filter(k -> k.matches("[A-Za-z_][A-Za-z0-9_]*")).findFirst().orElseThrow();
    assertThat(SecretResolver.fromSystem().resolve("${env:" + name + "}", dir)).isEqualTo(System.getenv(name));
  }
}
