package dev.protokit.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.common.auth.ClientAuthenticator;
import dev.protokit.common.auth.SharedKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The echo after a good handshake: upper-casing, pipelining, line limits. */
class EchoTest {
    private final SharedKey key = TestKeys.key("k1");
    private AuthServer server;

    @BeforeEach
    void start() {
        server = AuthServer.start(AuthServer.Config.loopback(TestKeys.ring(key)).withMaxLineBytes(64));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void upperCasesAsciiLettersOnly() {
        assertEquals("ABC XYZ 09 @[`{ \u00e4\u00df", EchoHandler.upperAscii("abc xyz 09 @[`{ \u00e4\u00df"));
    }

    @Test
    void answersPipelinedLinesInOrder() throws IOException {
        try (RawPeer peer = authenticated()) {
            peer.writeRaw("one\r\ntwo\r\nthree\r\n");
            assertEquals("ONE\r\nTWO\r\nTHREE\r\n", new String(peer.in().readNBytes(17), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void lineAtTheLimitIsEchoedAndALongerOneEndsTheSession() throws IOException {
        try (RawPeer peer = authenticated()) {
            String atLimit = "a".repeat(64);
            peer.writeRaw(atLimit + "\r\n" + "b".repeat(65) + "\r\nc\r\n");
            String all = new String(peer.readToEnd(), StandardCharsets.ISO_8859_1);
            assertEquals("A".repeat(64) + "\r\n", all); // nothing after the overlong line
        }
    }

    @Test
    void bareLineFeedEndsTheSession() throws IOException {
        try (RawPeer peer = authenticated()) {
            peer.writeRaw("ok\r\nsmuggled\nline\r\n");
            assertEquals("OK\r\n", new String(peer.readToEnd(), StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void clientLibraryRefusesLinesWithLineBreaks() throws IOException {
        try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), key))) {
            assertThrows(IllegalArgumentException.class, () -> client.send("a\r\nb"));
            assertEquals("STILL ONE LINE", client.echo("still one line"));
        }
    }

    @Test
    void serverClosesWhenTheClientHalfCloses() throws IOException {
        try (AuthClient client = AuthClient.connect(AuthClient.Config.of(server.localAddress(), key))) {
            client.send("last");
            client.finishSending();
            assertEquals("LAST", client.receive().orElseThrow());
            assertTrue(client.receive().isEmpty());
        }
    }

    private RawPeer authenticated() throws IOException {
        RawPeer peer = RawPeer.connect(server.localAddress());
        new ClientAuthenticator(key, Duration.ofSeconds(5)).authenticate(peer.socket(), peer.in(), peer.out())
                .keys().destroy();
        return peer;
    }
}
