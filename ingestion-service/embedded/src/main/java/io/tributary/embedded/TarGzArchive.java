package io.tributary.embedded;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a gzip-compressed tar archive (POSIX ustar, with pax extended headers and GNU long names) using the
 * JDK only: regular files and directories are extracted, links and device entries are skipped. Entries whose
 * path would leave the target directory are rejected.
 *
 * <p>Format: IEEE Std 1003.1-2001 (pax) {@code ustar} headers of 512 bytes, numeric fields in octal ASCII or
 * GNU base-256; pax records {@code "<length> <key>=<value>\n"}.
 */
final class TarGzArchive {

  private static final int BLOCK = 512;

  private TarGzArchive() {}

  /**
   * Extracts {@code archive} into {@code targetDir}.
   *
   * @param archive a {@code .tar.gz} file
   * @param targetDir the directory to extract into; created if missing
   * @return the number of regular files extracted
   * @throws IOException when the archive is unreadable or malformed, or an entry points outside {@code targetDir}
   */
  static int extract(Path archive, Path targetDir) throws IOException {
    Path root = targetDir.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int files = 0;
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16),
        1 << 16)) {
      byte[] header = new byte[BLOCK];
      String pendingName = null;
      long pendingSize = -1;
      while (true) {
        if (!readBlock(in, header)) {
          break; // end of stream without the two zero blocks: tolerated
        }
        if (isZero(header)) {
          break;
        }
        verifyChecksum(header, archive);
        char type = (char) header[156];
        long size = number(header, 124, 12);
        String name = pendingName != null ? pendingName : headerName(header);
        if (pendingSize >= 0) {
          size = pendingSize;
        }
        switch (type) {
          case 'x': { // pax extended header for the next entry
            byte[] pax = readData(in, size);
            pendingName = paxValue(pax, "path", pendingName);
            String paxSize = paxValue(pax, "size", null);
            pendingSize = paxSize != null ? Long.parseLong(paxSize) : -1;
            continue;
          }
          case 'L': { // GNU long name for the next entry
            pendingName = cString(readData(in, size), 0, (int) size);
            continue;
          }
          case 'g': // pax global header
          case 'K': // GNU long link name
            skipData(in, size);
            pendingName = null;
            pendingSize = -1;
            continue;
          default:
            break;
        }
        pendingName = null;
        pendingSize = -1;
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("tar entry " + name + " in " + archive + " points outside " + root);
        }
        if (type == '5') {
          Files.createDirectories(target);
          skipData(in, size);
        } else if (type == '0' || type == '\0' || type == '7') {
          Files.createDirectories(target.getParent());
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, size);
          }
          skipPadding(in, size);
          files++;
        } else {
          skipData(in, size); // links, devices, fifos: not needed here
        }
      }
    }
    return files;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    if (read == 0) {
      return false;
    }
    if (read < BLOCK) {
      throw new EOFException("truncated tar header");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] header, Path archive) throws IOException {
    long expected = number(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != expected) {
      throw new IOException("bad tar header checksum in " + archive + " (not a tar archive, or corrupt)");
    }
  }

  private static String headerName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
        && header[261] == 'r';
    if (ustar) {
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** Octal ASCII (space or NUL terminated), or GNU base-256 when the first byte has its high bit set. */
  private static long number(byte[] header, int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = offset + 1; i < offset + length; i++) {
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    long value = 0;
    int i = offset;
    int end = offset + length;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end && header[i] >= '0' && header[i] <= '7'; i++) {
      value = value * 8 + (header[i] - '0');
    }
    if (value < 0) {
      throw new IOException("bad numeric field in tar header");
    }
    return value;
  }

  /** Finds {@code key} in pax records {@code "<length> <key>=<value>\n"}; the length counts bytes. */
  private static String paxValue(byte[] records, String key, String fallback) throws IOException {
    int pos = 0;
    while (pos < records.length) {
      int space = pos;
      while (space < records.length && records[space] != ' ') {
        space++;
      }
      if (space >= records.length) {
        break;
      }
      int length;
      try {
        length = Integer.parseInt(new String(records, pos, space - pos, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("malformed pax record");
      }
      if (length <= space - pos || pos + length > records.length) {
        throw new IOException("malformed pax record");
      }
      String record = new String(records, space + 1, pos + length - space - 1, StandardCharsets.UTF_8);
      int equals = record.indexOf('=');
      if (equals > 0 && record.substring(0, equals).equals(key)) {
        String value = record.substring(equals + 1);
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      }
      pos += length;
    }
    return fallback;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar extended header of " + size + " bytes is implausibly large");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new EOFException("truncated tar entry");
    }
    skipPadding(in, size);
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("truncated tar entry");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void skipData(InputStream in, long size) throws IOException {
    skipFully(in, size);
    skipPadding(in, size);
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long remainder = size % BLOCK;
    if (remainder != 0) {
      skipFully(in, BLOCK - remainder);
    }
  }

  private static void skipFully(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("truncated tar entry");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }
}
