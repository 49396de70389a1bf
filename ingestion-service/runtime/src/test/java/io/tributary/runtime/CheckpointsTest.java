package io.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  @TempDir Path state;

  private Path complete(Path dir, long mtimeMs) throws IOException {
    Files.createDirectories(dir);
    Path meta = Files.writeString(dir.resolve("_metadata"), "x");
    Files.setLastModifiedTime(meta, FileTime.fromMillis(mtimeMs));
    return dir;
  }

  @Test
  void firstRunHasNothingToResumeFrom() {
    assertThat(Checkpoints.latest(state)).isEmpty();
  }

  @Test
  void picksTheNewestCompleteCheckpointOrSavepoint() throws IOException {
    Path cp = Checkpoints.checkpointDir(state);
    complete(cp.resolve("job-a/chk-3"), 1_000);
    Path newest = complete(cp.resolve("job-b/chk-7"), 3_000);
    Files.createDirectories(cp.resolve("job-b/chk-8")); // in progress: no _metadata
    complete(Checkpoints.savepointDir(state).resolve("savepoint-1"), 2_000);
    assertThat(Checkpoints.latest(state)).contains(newest);

    Path savepoint = complete(Checkpoints.savepointDir(state).resolve("savepoint-2"), 4_000);
    assertThat(Checkpoints.latest(state)).contains(savepoint);
  }
}
