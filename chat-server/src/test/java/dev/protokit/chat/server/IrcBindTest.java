package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Plain IRC listens on loopback unless {@code --irc-bind} asks for another address, whatever {@code --bind} says. */
class IrcBindTest {
    @TempDir
    Path state;

    @Test
    void plainIrcStaysOnLoopbackWhenTheOtherListenersBindEveryInterface() throws Exception {
        assertEquals(InetAddress.getLoopbackAddress(), flags("--bind", "0.0.0.0").ircBind());
        assertEquals(InetAddress.getByName("0.0.0.0"), flags("--bind", "0.0.0.0").bind());
        assertEquals(InetAddress.getLoopbackAddress(), flags().ircBind());
        assertEquals(InetAddress.getByName("::1"), flags("--bind", "::1").ircBind());
        assertEquals(InetAddress.getByName("0.0.0.0"), flags("--irc-bind", "0.0.0.0").ircBind());
    }

    @Test
    void aNonLoopbackAddressOfThisHostReachesPlainIrcOnlyWithIrcBind() throws Exception {
        InetAddress external = externalAddress().orElse(null);
        assumeTrue(external != null, "this host has no non-loopback IPv4 address");
        var config = ChatServerConfig.forTests(state).withBinds(InetAddress.getByName("0.0.0.0"), InetAddress.getLoopbackAddress())
                .withPorts(OptionalInt.of(0), OptionalInt.empty(), OptionalInt.empty());
        try (ChatServer server = ChatServer.start(config)) {
            int port = server.ircPort();
            assertThrows(IOException.class, () -> connect(external, port));
            try (var irc = IrcTestClient.register(port, "local")) {
                irc.send("PING :still-here");
                irc.until(m -> m.command().equals("PONG"), "PONG over loopback");
            }
        }
        config = config.withBinds(InetAddress.getLoopbackAddress(), InetAddress.getByName("0.0.0.0"));
        try (ChatServer server = ChatServer.start(config); Socket s = connect(external, server.ircPort())) {
            assertTrue(s.isConnected(), "--irc-bind 0.0.0.0 serves plain IRC on " + external);
        }
    }

    private ChatServerConfig flags(String... args) {
        var command = new ChatServerCommand();
        var all = new java.util.ArrayList<>(java.util.List.of("--state-dir", state.toString(), "--irc-tls-port", "0"));
        all.addAll(java.util.List.of(args));
        new CommandLine(command).parseArgs(all.toArray(String[]::new));
        return command.config();
    }

    private static Socket connect(InetAddress address, int port) throws IOException {
        var s = new Socket();
        try {
            s.connect(new InetSocketAddress(address, port), 5000);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static Optional<InetAddress> externalAddress() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(i -> {
            try {
                return i.isUp() && !i.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress()).findFirst();
    }
}
