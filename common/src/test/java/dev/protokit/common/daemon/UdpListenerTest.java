package dev.protokit.common.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class UdpListenerTest {

    @Test
    void deliversDatagramsAndSurvivesAFailingHandler() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        var bound = Binder.bindUdp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "udp-test");
        try (var listener = UdpListener.start("udp-test", bound, 16, (from, packet) -> {
                 String text = StandardCharsets.US_ASCII.decode(packet).toString();
                 if (text.equals("boom")) {
                     throw new IllegalStateException("handler failure");
                 }
                 seen.add(text);
             });
             var client = DatagramChannel.open()) {
            for (String s : List.of("one", "boom", "two", "x".repeat(40))) {
                client.send(ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)), listener.localAddress());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 3);
            assertEquals(List.of("one", "two", "x".repeat(17)), seen);
        }
    }
}
