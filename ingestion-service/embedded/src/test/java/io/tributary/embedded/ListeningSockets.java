package io.tributary.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Reads a process's listening TCP sockets from Linux's /proc (proc(5): /proc/net/tcp, /proc/net/tcp6). */
final class ListeningSockets {

  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /**
   * @param pid a process id
   * @return its listening sockets as {@code address:port}; IPv4-mapped IPv6 addresses shown as IPv4, other IPv6
   *     addresses as {@code [hex]}
   */
  static List<String> of(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Paths.get("/proc", Long.toString(pid), "fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // the descriptor closed meanwhile
        }
      });
    }
    List<String> result = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Paths.get(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
          result.add(address(f[1]));
        }
      }
    }
    return result;
  }

  private static String address(String hex) {
    String[] parts = hex.split(":");
    int port = Integer.parseInt(parts[1], 16);
    String ip = parts[0];
    if (ip.length() == 32 && ip.startsWith("0000000000000000FFFF0000")) {
      ip = ip.substring(24);
    }
    if (ip.length() == 8) {
      long v = Long.parseLong(ip, 16); // little-endian IPv4
      return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff) + ":" + port;
    }
    return "[" + ip + "]:" + port;
  }
}
