package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TempDirsTest {

  @TempDir
  Path base;

  @Test
  void sweepsOnlyDirectoriesWhoseOwnerIsGone() throws Exception {
    Path orphan = Files.createDirectories(base.resolve("tributary-x-1"));
    Files.writeString(orphan.resolve(TempDirs.OWNER_FILE), Long.MAX_VALUE + " 2020-01-01T00:00:00Z");
    Files.writeString(orphan.resolve("data.log"), "left behind");
    Path reusedPid = Files.createDirectories(base.resolve("tributary-x-2"));
    Files.writeString(reusedPid.resolve(TempDirs.OWNER_FILE), ProcessHandle.current().pid() + " 1999-01-01T00:00:00Z");
    Path mine = TempDirs.create("tributary-embedded-test-");
    Path foreign = Files.createDirectories(base.resolve("tributary-x-3")); // no owner file: not ours to delete
    Path otherPrefix = Files.createDirectories(base.resolve("other-1"));
    Files.writeString(otherPrefix.resolve(TempDirs.OWNER_FILE), Long.MAX_VALUE + " x");
    try {
      TempDirs.sweepOrphans(base, "tributary-x-");

      assertThat(orphan).doesNotExist();
      assertThat(reusedPid).as("same pid, other start time: a different process").doesNotExist();
      assertThat(foreign).exists();
      assertThat(otherPrefix).exists();

      TempDirs.sweepOrphans(mine.getParent(), "tributary-embedded-test-");
      assertThat(mine).as("owned by this JVM").exists();
    } finally {
      TempDirs.deleteQuietly(mine);
    }
    assertThat(mine).doesNotExist();
  }
}
