package io.upki.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** A run of free loopback ports is one a script can really bind, every port of it. */
class LoopbackPortsTest {
    @Test
    void everyPortOfTheRunCanBeBound() throws Exception {
        int first = LoopbackPorts.freeRun(3);
        assertThat(first).isBetween(1, 65533);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket a = new ServerSocket(first, 1, loopback);
             ServerSocket b = new ServerSocket(first + 1, 1, loopback);
             ServerSocket c = new ServerSocket(first + 2, 1, loopback)) {
            assertThat(c.getLocalPort()).isEqualTo(first + 2);
        }
    }
}
