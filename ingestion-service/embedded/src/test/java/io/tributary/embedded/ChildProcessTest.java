package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

  @TempDir
  Path workDir;

  private ChildProcess.Builder javaChild(String... args) throws Exception {
    Path testClasses = Paths.get(ChildMainForTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return ChildProcess.builder("test-child", workDir)
        .java(List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"), List.of(testClasses), ChildMainForTests.class.getName(),
            List.of(args));
  }

  @Test
  void logsOutputAndStopsOnClose() throws Exception {
    ChildProcess child = javaChild("hello from the child").start();
    try {
      child.awaitReady("test child", Duration.ofSeconds(30), () -> child.tail(5).contains("hello from the child"));
      assertThat(child.isAlive()).isTrue();
      assertThat(child.logFile()).isEqualTo(workDir.resolve("test-child.log"));
    } finally {
      child.close();
    }
    assertThat(child.isAlive()).isFalse();
    child.close(); // idempotent
  }

  @Test
  void runsCleanUpActionsOnceAfterTheChildStopped() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    AtomicBoolean stoppedFirst = new AtomicBoolean();
    ChildProcess[] holder = new ChildProcess[1];
    ChildProcess child = javaChild("x").afterStop(() -> {
      runs.incrementAndGet();
      stoppedFirst.set(!holder[0].isAlive());
    }).start();
    holder[0] = child;
    child.close();
    child.close();
    assertThat(runs).hasValue(1);
    assertThat(stoppedFirst).isTrue();
  }

  @Test
  void childClasspathHoldsOnlyTheWatchdogAndTheGivenEntries() throws Exception {
    ChildProcess.Builder builder = javaChild("x");
    List<String> command = builder.commandLine();
    String classpath = command.get(command.indexOf("-cp") + 1);
    assertThat(classpath.split(":")).hasSize(2);
    assertThat(classpath).startsWith(workDir.resolve("launcher").toString());
    assertThat(workDir.resolve("launcher/io/tributary/embedded/internal/ParentWatchdog.class")).exists();
    assertThat(command.get(0)).endsWith("/bin/java");
  }

  @Test
  void exitsByItselfWhenItsStandardInputCloses() throws Exception {
    // what happens when the parent JVM dies: the pipe to the child's stdin closes
    ChildProcess child = javaChild("waiting").start();
    try {
      child.awaitReady("test child", Duration.ofSeconds(30), () -> child.tail(5).contains("waiting"));
      ProcessHandle handle = ProcessHandle.of(child.pid()).orElseThrow();
      Process process = child.process();
      process.getOutputStream().close();
      assertThat(handle.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      assertThat(process.exitValue()).isEqualTo(143);
      assertThat(Files.readString(child.logFile())).contains("parent process closed standard input");
    } finally {
      child.close();
    }
  }

  @Test
  void failsWithTheLastLogLinesWhenTheChildExitsBeforeItIsReady() throws Exception {
    ChildProcess child = javaChild("fatal: port already in use", "3").start();
    try {
      assertThatThrownBy(() -> child.awaitReady("the thing", Duration.ofSeconds(30), () -> false))
          .isInstanceOf(EmbeddedServiceException.class)
          .hasMessageContaining("the thing exited with status 3 before it was ready")
          .hasMessageContaining("fatal: port already in use");
    } finally {
      child.close();
    }
  }

  @Test
  void failsWhenTheChildIsNotReadyInTime() throws Exception {
    ChildProcess child = javaChild("slow").start();
    try {
      assertThatThrownBy(() -> child.awaitReady("the thing", Duration.ofMillis(300), () -> {
            throw new IllegalStateException("connection refused");
          }))
          .isInstanceOf(EmbeddedServiceException.class)
          .hasMessageContaining("the thing was not ready within 0 s")
          .hasRootCauseMessage("connection refused");
    } finally {
      child.close();
    }
    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void tailReturnsTheLastLines() throws Exception {
    Path log = workDir.resolve("x.log");
    Files.writeString(log, "a\nb\nc\nd\n");
    assertThat(ChildProcess.tail(log, 2)).containsExactly("c", "d");
    assertThat(ChildProcess.tail(workDir.resolve("missing.log"), 2)).isEmpty();
  }
}
