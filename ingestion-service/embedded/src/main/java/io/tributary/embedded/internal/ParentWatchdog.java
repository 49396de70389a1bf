package io.tributary.embedded.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every child JVM started by {@link io.tributary.embedded.ChildProcess}: it runs the real main
 * class and exits the child when its standard input reaches end-of-file, which happens when the parent JVM
 * closes the pipe or dies in any way (including {@code kill -9}). Nothing is left running after a crashed test.
 *
 * <p>Arguments: {@code <main class> [arguments of that main class...]}. The class depends on the JDK only and
 * has no nested classes: {@code ChildProcess} copies its class file into the child's classpath, so that the
 * child never sees the parent's classpath.
 *
 * <p>This class is an implementation detail of the {@code io.tributary.embedded} package, not an API.
 */
public final class ParentWatchdog {

  /** Exit status of a child whose parent went away (128 + SIGTERM, as a shell would report it). */
  static final int PARENT_GONE_STATUS = 143;

  /** After the parent went away, the child's shutdown hooks get this long before the JVM halts, in ms. */
  static final long HALT_AFTER_MS = 30_000L;

  private ParentWatchdog() {}

  /**
   * Starts the watchdog thread, then invokes {@code main(String[])} of the class named by {@code args[0]}.
   *
   * @param args the main class name, then its arguments
   * @throws Throwable whatever the real main method throws (unwrapped)
   */
  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ParentWatchdog <main class> [args...]");
    }
    Thread watchdog = new Thread(() -> watch(System.in), "tributary-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();

    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watch(InputStream in) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) != -1) {
        // the parent never writes; anything read is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the same as end-of-file
    }
    System.err.println("[tributary] parent process closed standard input; stopping this child process");
    Thread halter = new Thread(() -> {
      try {
        Thread.sleep(HALT_AFTER_MS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(PARENT_GONE_STATUS);
    }, "tributary-halt-timer");
    halter.setDaemon(true);
    halter.start();
    System.exit(PARENT_GONE_STATUS);
  }
}
