package io.tributary.runtime.check;

import java.io.PrintStream;
import java.util.List;

/**
 * Prints comparisons as the table that {@code tributary demo} and {@code tributary verify} show: one line per table
 * and sink with source rows, sink rows, missing, extra and differing keys and MATCH or MISMATCH, followed by that
 * pair's example keys, indented.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  /**
   * Prints the table.
   *
   * @param out where to print (the CLI passes standard output)
   * @param results the comparisons, printed in this order
   * @return whether every comparison matches
   */
  public static boolean print(PrintStream out, List<TableComparison> results) {
    int width = 24;
    for (TableComparison c : results) {
      width = Math.max(width, c.table().length());
    }
    String head = "%n  %-" + width + "s %-9s %9s %9s %8s %6s %10s  %s%n";
    String line = "  %-" + width + "s %-9s %9d %9d %8d %6d %10d  %s%n";
    boolean ok = true;
    out.printf(head, "table", "sink", "source", "sink", "missing", "extra", "differing", "result");
    for (TableComparison c : results) {
      out.printf(line, c.table(), c.sink(), c.sourceRows(), c.sinkRows(), c.missing(), c.extra(), c.differing(),
          c.matches() ? "MATCH" : "MISMATCH");
      for (String e : c.examples()) {
        out.println("      " + e);
      }
      ok &= c.matches();
    }
    return ok;
  }
}
