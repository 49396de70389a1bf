package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzArchiveTest {

  @TempDir
  Path dir;

  private static final String LONG_NAME = "lib/" + "x".repeat(150) + ".jar";
  private static final String PREFIXED_DIR = "p".repeat(120);

  @Test
  void extractsUstarPaxAndGnuEntries() throws Exception {
    Path archive = dir.resolve("a.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
      entry(out, "top/", '5', new byte[0], null);
      entry(out, "top/a.txt", '0', bytes("alpha"), null);
      entry(out, "././@PaxHeader", 'x', pax("path", "top/" + LONG_NAME), null);
      entry(out, "ignored-short-name", '0', bytes("long via pax"), null);
      entry(out, "././@LongLink", 'L', bytes("top/gnu/" + "y".repeat(120) + ".txt\0"), null);
      entry(out, "ignored-too", '0', bytes("long via gnu"), null);
      entry(out, "b.txt", '0', bytes("in prefixed dir"), PREFIXED_DIR);
      entry(out, "top/link", '2', new byte[0], null);
      byte[] big = new byte[70_000];
      big[69_999] = 42;
      entry(out, "top/big.bin", '0', big, null);
      out.write(new byte[1024]);
    }
    Path target = dir.resolve("out");

    int files = TarGzArchive.extract(archive, target);

    assertThat(files).isEqualTo(5);
    assertThat(target.resolve("top/a.txt")).hasContent("alpha");
    assertThat(target.resolve("top/" + LONG_NAME)).hasContent("long via pax");
    assertThat(target.resolve("top/gnu/" + "y".repeat(120) + ".txt")).hasContent("long via gnu");
    assertThat(target.resolve(PREFIXED_DIR + "/b.txt")).hasContent("in prefixed dir");
    assertThat(target.resolve("top/link")).doesNotExist();
    assertThat(Files.readAllBytes(target.resolve("top/big.bin"))).hasSize(70_000).endsWith((byte) 42);
  }

  @Test
  void rejectsEntriesThatLeaveTheTargetDirectory() throws Exception {
    Path archive = dir.resolve("evil.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
      entry(out, "../evil.txt", '0', bytes("x"), null);
      out.write(new byte[1024]);
    }
    assertThatThrownBy(() -> TarGzArchive.extract(archive, dir.resolve("out")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("points outside");
    assertThat(dir.resolve("evil.txt")).doesNotExist();
  }

  @Test
  void rejectsSomethingThatIsNotATarArchive() throws Exception {
    Path archive = dir.resolve("junk.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive))) {
      out.write("this is not a tar header".repeat(30).getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> TarGzArchive.extract(archive, dir.resolve("out")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] pax(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.length() + 1;
    while (Integer.toString(length).length() + body.length() != length) {
      length++;
    }
    return bytes(length + body);
  }

  /** Writes one ustar header and its data, padded to 512 bytes (POSIX.1-2001 layout). */
  private static void entry(OutputStream out, String name, char type, byte[] data, String prefix)
      throws IOException {
    byte[] h = new byte[512];
    put(h, 0, 100, name);
    put(h, 100, 8, "0000644");
    put(h, 108, 8, "0000000");
    put(h, 116, 8, "0000000");
    put(h, 124, 12, String.format("%011o", data.length));
    put(h, 136, 12, "00000000000");
    h[156] = (byte) type;
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    if (prefix != null) {
      put(h, 345, 155, prefix);
    }
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    put(h, 148, 8, String.format("%06o", sum));
    h[154] = 0;
    out.write(h);
    out.write(data);
    int pad = (512 - data.length % 512) % 512;
    out.write(new byte[pad]);
  }

  private static void put(byte[] header, int offset, int length, String value) {
    byte[] b = bytes(value);
    if (b.length > length) {
      throw new IllegalArgumentException(value + " longer than " + length);
    }
    System.arraycopy(b, 0, header, offset, b.length);
  }
}
