package io.tributary.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import io.tributary.schema.Column;
import io.tributary.schema.ColumnKind;
import io.tributary.schema.TableId;
import io.tributary.schema.TableSchema;
import java.util.List;
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

  @Test
  void equalTimesPickTheHigherCheckpointNumber() throws IOException {
    Path cp = Checkpoints.checkpointDir(state);
    complete(cp.resolve("job/chk-9"), 5_000);
    Path ten = complete(cp.resolve("job/chk-10"), 5_000);
    assertThat(Checkpoints.latest(state)).contains(ten);
  }

  @Test
  void resumesWithAddedTablesButRefusesRemovedOnes() {
    TableSchema a = table("a");
    TableSchema b = table("b");
    assertThat(Checkpoints.checkTables(state, List.of(a), false)).isEmpty();
    assertThat(Checkpoints.checkTables(state, List.of(a), true)).isEmpty();
    assertThat(Checkpoints.checkTables(state, List.of(a, b), true)).containsExactly("db.public.b");
    assertThatThrownBy(() -> Checkpoints.checkTables(state, List.of(b), true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("removed [db.public.a]");
    // a fresh start records the new list
    Checkpoints.checkTables(state, List.of(b), false);
    assertThat(Checkpoints.checkTables(state, List.of(b, a), true)).containsExactly("db.public.a");
  }

  private static TableSchema table(String name) {
    return new TableSchema(new TableId("db", "public", name),
        List.of(Column.of("id", ColumnKind.INT64, false, "bigint")), List.of("id"));
  }

  @Test
  void aFinishedPipelineIsNotResumedFromItsOlderSnapshots() throws IOException {
    complete(Checkpoints.savepointDir(state).resolve("savepoint-1"), 1_000);
    Checkpoints.markFinished(state);
    Files.setLastModifiedTime(Checkpoints.finishedMarker(state), FileTime.fromMillis(2_000));
    assertThat(Checkpoints.latest(state)).isEmpty();
    Path newer = complete(Checkpoints.checkpointDir(state).resolve("job/chk-1"), 3_000);
    assertThat(Checkpoints.latest(state)).contains(newer);
  }

  @Test
  void savepointsOfAFailedStopAreMovedAside() throws IOException {
    Path old = complete(Checkpoints.savepointDir(state).resolve("savepoint-old"), 1_000);
    complete(Checkpoints.savepointDir(state).resolve("savepoint-new"), 5_000);
    List<Path> moved = Checkpoints.invalidateSavepointsSince(state, java.time.Instant.ofEpochMilli(4_000));
    assertThat(moved).extracting(p -> p.getFileName().toString()).containsExactly(".invalid-savepoint-new");
    assertThat(Checkpoints.latest(state)).contains(old);
  }
}
