package io.tributary.source.mysql;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The server ids a MySQL source's binlog clients use, one per parallel reader: reader {@code i} connects as
 * {@code first + i}. A server id identifies a replica to the server, which drops an older connection when a new one
 * arrives with the same id, so ids must be unique among the server's replicas and every other CDC client.
 *
 * @param first the first id, at least 1
 * @param last the last id, at least {@code first} and at most {@link Integer#MAX_VALUE} (Flink CDC keeps ids as
 *     {@code int})
 */
public record MySqlServerIds(long first, long last) implements Serializable {
  /** First id of the derived ranges. */
  public static final long DERIVED_BASE = 5400;

  /** Derived ranges start within {@code [DERIVED_BASE, DERIVED_BASE + DERIVED_SPREAD)}. */
  public static final long DERIVED_SPREAD = 1_000_000_000L;

  private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,10})\\s*(?:-\\s*(\\d{1,10})\\s*)?");

  /**
   * @throws IllegalArgumentException if {@code first < 1}, {@code last < first} or {@code last} exceeds
   *     {@link Integer#MAX_VALUE}
   */
  public MySqlServerIds {
    if (first < 1 || last < first || last > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a server id range needs 1 <= first <= last <= " + Integer.MAX_VALUE + ", got " + first + "-" + last);
    }
  }

  /**
   * Parses {@code N} (one id) or {@code N-M} (ids N to M, inclusive).
   *
   * @throws IllegalArgumentException with the reason if the text is not of that form or out of range
   */
  public static MySqlServerIds parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException("write one server id (5400) or a range (5400-5408)");
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2) == null ? first : Long.parseLong(m.group(2));
    if (first < 1 || last > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("server ids run from 1 to " + Integer.MAX_VALUE);
    }
    if (last < first) {
      throw new IllegalArgumentException("the range ends before it starts; write first-last with first <= last");
    }
    return new MySqlServerIds(first, last);
  }

  /**
   * The default range of a pipeline: {@code parallelism} ids starting at {@code 5400 + (CRC-32 of the UTF-8
   * pipeline name mod 1,000,000,000)}. Stable for a name, so a restarted pipeline reuses its ids; two pipelines
   * collide only if their ranges overlap (for two pipelines of parallelism p, a chance of about
   * (2p - 1) in 10^9). Set {@code server-id} explicitly when the server's replicas use ids in that range.
   *
   * @param pipelineName the pipeline name, never null
   * @param parallelism the source parallelism, at least 1
   */
  public static MySqlServerIds derive(String pipelineName, int parallelism) {
    CRC32 crc = new CRC32();
    crc.update(pipelineName.getBytes(StandardCharsets.UTF_8));
    long first = DERIVED_BASE + crc.getValue() % DERIVED_SPREAD;
    return new MySqlServerIds(first, first + Math.max(1, parallelism) - 1);
  }

  /** The number of ids in the range. */
  public long size() {
    return last - first + 1;
  }

  /** {@code N} or {@code N-M}, the form Flink CDC's {@code serverId(String)} takes. */
  @Override
  public String toString() {
    return first == last ? Long.toString(first) : first + "-" + last;
  }
}
