package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One address's sessions PASV and never connect: they must not take the whole --passive-ports range. */
class PassivePortShareTest {
    private static final int RANGE = 8;

    @TempDir
    Path tmp;

    @Test
    void oneAddressHoldsAQuarterOfThePassiveRangeAndOthersStillTransfer() throws Exception {
        int first = freeRange();
        try (ServerFixture fx = ServerFixture.start(tmp, b -> b.passivePorts(new FtpServerConfig.PortRange(first, first + RANGE - 1)))) {
            Files.writeString(fx.home("alice").resolve("f.txt"), "payload");
            List<RawClient> hoarders = new ArrayList<>();
            try {
                int granted = 0;
                for (int i = 0; i < RANGE; i++) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress("127.0.0.2", 0));
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), fx.port()));
                    RawClient c = new RawClient(s);
                    hoarders.add(c);
                    c.expect(220);
                    c.login("alice", ServerFixture.PASSWORD);
                    c.send("PASV");
                    String reply = c.reply();
                    if (reply.startsWith("227 ")) {
                        granted++;
                        c.command("PASV", 227); // a session's own listener is replaced, not counted twice
                    } else {
                        assertTrue(reply.startsWith("425 ") && reply.contains("your address"), reply);
                    }
                }
                assertTrue(granted == RANGE / 4, "granted " + granted);
                try (RawClient legit = RawClient.connect(fx.port())) {
                    legit.login("alice", ServerFixture.PASSWORD);
                    try (Socket data = legit.pasv()) {
                        legit.command("RETR f.txt", 150);
                        assertTrue(new String(data.getInputStream().readAllBytes()).equals("payload"));
                    }
                    legit.expect(226);
                }
            } finally {
                for (RawClient c : hoarders) {
                    c.close();
                }
            }
        }
    }

    /** A run of RANGE ports that were free a moment ago (ports in use are skipped anyway). */
    private static int freeRange() throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket probe = new ServerSocket(0)) {
                first = probe.getLocalPort();
            }
            if (first + RANGE > 65535) {
                continue;
            }
            boolean free = true;
            for (int p = first; p < first + RANGE && free; p++) {
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    free = true;
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no free run of " + RANGE + " ports");
    }
}
