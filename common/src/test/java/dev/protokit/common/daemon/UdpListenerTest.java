package dev.protokit.common.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

    @Test
    void repliesTheNetworkRefusesAreLoggedOnThrottledLinesWithoutTraces() throws Exception {
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        var logger = (Logger) LoggerFactory.getLogger("udp-refused");
        logger.addAppender(appender);
        List<String> seen = new CopyOnWriteArrayList<>();
        var bound = Binder.bindUdp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "udp-refused");
        try (var listener = UdpListener.start("udp-refused", bound, 16, (from, packet) -> {
                 String text = StandardCharsets.US_ASCII.decode(packet).toString();
                 if (text.startsWith("refused")) {
                     throw new IOException("Network is unreachable");
                 }
                 seen.add(text);
             });
             var client = DatagramChannel.open()) {
            for (int i = 0; i < 200; i++) {
                client.send(ByteBuffer.wrap(("refused" + i).getBytes(StandardCharsets.US_ASCII)), listener.localAddress());
            }
            client.send(ByteBuffer.wrap("after".getBytes(StandardCharsets.US_ASCII)), listener.localAddress());
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("after"));
        } finally {
            logger.detachAppender(appender);
        }
        List<ILoggingEvent> refusals = appender.list.stream()
                .filter(e -> e.getFormattedMessage().contains("not sent")).toList();
        assertTrue(refusals.size() >= 1 && refusals.size() <= 10, refusals.size() + " lines for 200 refusals");
        assertTrue(refusals.stream().allMatch(e -> e.getThrowableProxy() == null
                && e.getFormattedMessage().contains("Network is unreachable")), "one line each, no stack trace");
    }
}
