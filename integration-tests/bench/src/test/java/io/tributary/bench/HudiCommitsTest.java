package io.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HudiCommitsTest {
  @Test
  void aChangeIsReadableFromTheFirstCommitReachingItsLsn() {
    // commits completed at t=1000 ms (up to LSN 100), t=2000 ms (up to LSN 250), t=3000 ms (up to LSN 400)
    List<HudiCommits.Commit> commits = List.of(
        new HudiCommits.Commit(1000, 100), new HudiCommits.Commit(2000, 250), new HudiCommits.Commit(3000, 400));
    long[] uncovered = new long[1];
    Histogram h = HudiCommits.latencies(commits, List.of(
        new long[] {100, 900_000},   // in the first commit: 1,000,000 - 900,000 = 100 ms
        new long[] {101, 1_500_000}, // in the second: 2,000,000 - 1,500,000 = 500 ms
        new long[] {400, 2_000_000}, // in the third: 1000 ms
        new long[] {401, 2_500_000}), // in none yet
        uncovered);
    assertThat(uncovered[0]).isEqualTo(1);
    assertThat(h.getTotalCount()).isEqualTo(3);
    assertThat(h.getMinValue()).isBetween(99_900L, 100_100L);
    assertThat(h.getValueAtPercentile(50)).isBetween(499_500L, 500_500L);
    assertThat(h.getMaxValue()).isBetween(999_000L, 1_001_000L);
  }

  @Test
  void aCommitWithALowerMaximumAfterAHigherOneDoesNotHideTheEarlierCoverage() {
    // a compaction-like commit that reaches a lower ordering after a higher one: the running maximum decides
    List<HudiCommits.Commit> commits = List.of(new HudiCommits.Commit(1000, 300), new HudiCommits.Commit(2000, 50));
    long[] uncovered = new long[1];
    Histogram h = HudiCommits.latencies(commits, List.<long[]>of(new long[] {200, 500_000}), uncovered);
    assertThat(uncovered[0]).isZero();
    assertThat(h.getMaxValue()).isBetween(499_500L, 500_500L);
  }
}
