package io.tributary.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports that are free on 127.0.0.1 by letting the operating system choose (bind to port 0).
 *
 * <p>A port is free when picked, not reserved: another process may take it before the service binds it. The
 * window is a few hundred ms and the kernel hands out ephemeral ports in rotation, so collisions are rare.
 */
public final class FreePorts {

  private FreePorts() {}

  /**
   * @return one port that is free on 127.0.0.1 right now, in 1..65535
   * @throws UncheckedIOException when no socket can be bound on 127.0.0.1
   */
  public static int pick() {
    return pick(1)[0];
  }

  /**
   * Picks {@code count} distinct free ports (all sockets are held open until every port is picked).
   *
   * @param count how many ports, positive
   * @return the ports, distinct
   * @throws UncheckedIOException when no socket can be bound on 127.0.0.1
   */
  public static int[] pick(int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive, was " + count);
    }
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a socket on 127.0.0.1", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }
}
