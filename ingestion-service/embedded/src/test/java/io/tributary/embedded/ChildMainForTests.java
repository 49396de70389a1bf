package io.tributary.embedded;

/**
 * A main class for child processes in {@link ChildProcessTest}: prints its first argument, then exits with the
 * status given as second argument, or sleeps forever when there is none.
 */
public final class ChildMainForTests {

  private ChildMainForTests() {}

  /**
   * @param args the line to print, and optionally an exit status
   * @throws InterruptedException never in practice
   */
  public static void main(String[] args) throws InterruptedException {
    System.out.println(args[0]);
    System.out.flush();
    if (args.length > 1) {
      System.exit(Integer.parseInt(args[1]));
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
