package dev.protokit.tftp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PortRangeTest {

    @Test
    void parsesLowDashHigh() {
        assertEquals(new PortRange(50000, 50999), PortRange.parse("50000-50999"));
        assertEquals(1000, PortRange.parse(" 50000 - 50999 ").size());
    }

    @Test
    void refusesMalformedRanges() {
        for (String bad : List.of("", "5", "1-2-3", "a-b", "0-10", "10-5", "1-65536")) {
            assertThrows(IllegalArgumentException.class, () -> PortRange.parse(bad), bad);
        }
    }

    @Test
    void bindsInsideTheRangeUntilItIsExhausted() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int low;
        try (var probe = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
            low = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        var range = new PortRange(low, low + 2);
        List<DatagramChannel> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Optional<DatagramChannel> ch = range.bind(loopback);
                ch.ifPresent(open::add);
            }
            for (DatagramChannel ch : open) {
                int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
                assertTrue(port >= low && port <= low + 2, "port " + port);
            }
            if (open.size() == 3) {
                assertTrue(range.bind(loopback).isEmpty(), "a full range yields no socket");
            }
        } finally {
            for (DatagramChannel ch : open) {
                ch.close();
            }
        }
    }
}
