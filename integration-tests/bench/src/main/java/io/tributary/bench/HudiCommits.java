package io.tributary.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hudi.common.table.HoodieTableMetaClient;
import org.apache.hudi.common.table.timeline.HoodieInstant;
import org.apache.hudi.common.table.timeline.HoodieInstantTimeGenerator;
import org.apache.hudi.common.table.timeline.HoodieTimeline;
import org.apache.hudi.hadoop.fs.HadoopFSUtils;
import org.HdrHistogram.Histogram;

/**
 * When each change became readable in a Hudi table: Tributary's Hudi sink stores in every commit's metadata the
 * largest ordering value (the PostgreSQL LSN) of the rows it wrote ({@code tributary.max.ordering}); a change with
 * LSN l is readable from the completion time of the first commit whose largest ordering is >= l. This holds when
 * changes arrive in LSN order, which the benchmark's single-connection generator guarantees.
 */
public final class HudiCommits {
  /** A completed data commit: completion wall time (ms since the epoch) and its largest ordering value. */
  record Commit(long completedMillis, long maxOrdering) {}

  private HudiCommits() {}

  /** The completed (delta) commits of the table at {@code basePath}, in completion order. */
  static List<Commit> read(Path basePath) throws Exception {
    HoodieTableMetaClient meta = HoodieTableMetaClient.builder().setConf(HadoopFSUtils.getStorageConf())
        .setBasePath(basePath.toUri().toString()).build();
    HoodieTimeline timeline = meta.getActiveTimeline().getCommitsTimeline().filterCompletedInstants();
    List<Commit> out = new ArrayList<>();
    for (HoodieInstant i : timeline.getInstants()) {
      String max = timeline.readCommitMetadata(i).getExtraMetadata().get("tributary.max.ordering");
      if (max == null || i.getCompletionTime() == null) {
        continue; // compactions and cleans carry no data of their own
      }
      long completed = HoodieInstantTimeGenerator.parseDateFromInstantTime(i.getCompletionTime()).getTime();
      out.add(new Commit(completed, Long.parseLong(max)));
    }
    out.sort((a, b) -> Long.compare(a.completedMillis, b.completedMillis));
    return out;
  }

  /** The largest ordering value committed so far, or -1. */
  static long maxCommitted(Path basePath) throws Exception {
    long max = -1;
    for (Commit c : read(basePath)) {
      max = Math.max(max, c.maxOrdering);
    }
    return max;
  }

  /**
   * Latencies (µs) from each change's {@code changed_us} to the completion of the first commit covering its LSN.
   *
   * @param changes {lsn, changed_us} pairs
   * @return the histogram; changes no commit covers yet are left out and counted in {@code uncovered[0]}
   */
  static Histogram latencies(List<Commit> commits, List<long[]> changes, long[] uncovered) {
    Histogram h = new Histogram(3_600_000_000L, 3);
    long[] maxSoFar = new long[commits.size()];
    long m = Long.MIN_VALUE;
    for (int i = 0; i < commits.size(); i++) {
      m = Math.max(m, commits.get(i).maxOrdering);
      maxSoFar[i] = m;
    }
    for (long[] c : changes) {
      int lo = 0;
      int hi = commits.size();
      while (lo < hi) { // first commit whose running max >= lsn
        int mid = (lo + hi) >>> 1;
        if (maxSoFar[mid] >= c[0]) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      if (lo == commits.size()) {
        uncovered[0]++;
        continue;
      }
      long lat = commits.get(lo).completedMillis * 1000 - c[1];
      h.recordValue(Math.max(0, Math.min(lat, h.getHighestTrackableValue())));
    }
    return h;
  }
}
