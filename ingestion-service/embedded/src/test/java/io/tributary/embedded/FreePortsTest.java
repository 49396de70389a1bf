package io.tributary.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void picksDistinctPortsThatCanBeBoundOnLoopback() throws Exception {
    int[] ports = FreePorts.pick(5);
    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(5);
    for (int port : ports) {
      assertThat(port).isBetween(1, 65535);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
