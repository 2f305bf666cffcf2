package dev.protokit.ftp.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.apache.commons.net.util.TrustManagerUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FTPS (RFC 4217): explicit and implicit, PROT P, --require-tls and --require-tls-session-reuse. */
class FtpsTest {
    @TempDir
    Path tmp;
    ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private FTPSClient ftps(boolean implicit) throws IOException {
        FTPSClient c = new FTPSClient(implicit);
        c.setTrustManager(TrustManagerUtils.getAcceptAllTrustManager());
        c.setDefaultTimeout(20_000);
        c.connect("127.0.0.1", implicit ? fx.server.implicitPort().orElseThrow() : fx.port());
        assertTrue(c.login("alice", ServerFixture.PASSWORD), c.getReplyString());
        c.execPBSZ(0);
        c.execPROT("P");
        c.enterLocalPassiveMode();
        c.setFileType(FTP.BINARY_FILE_TYPE);
        return c;
    }

    @ParameterizedTest(name = "implicit={0}")
    @ValueSource(booleans = {false, true})
    void protectedTransfersWork(boolean implicit) throws Exception {
        fx = ServerFixture.start(tmp, b -> b.implicitPort(0));
        byte[] data = FtpServerTest.random(2 * 1024 * 1024 + 3, 7);
        FTPSClient c = ftps(implicit);
        assertTrue(c.storeFile("secret.bin", new ByteArrayInputStream(data)), c.getReplyString());
        assertArrayEquals(data, Files.readAllBytes(fx.home("alice").resolve("secret.bin")));
        var out = new ByteArrayOutputStream();
        assertTrue(c.retrieveFile("secret.bin", out), c.getReplyString());
        assertArrayEquals(data, out.toByteArray());
        assertEquals("secret.bin", c.listFiles()[0].getName());
        assertEquals(2 * 1024 * 1024 + 3, c.mlistDir()[0].getSize());
        c.enterLocalActiveMode();                                // the server connects, and is still the TLS server
        out.reset();
        assertTrue(c.retrieveFile("secret.bin", out), c.getReplyString());
        assertArrayEquals(data, out.toByteArray());
        c.logout();
    }

    @Test
    void requireTlsRefusesPlainLoginAndClearData() throws Exception {
        fx = ServerFixture.start(tmp, b -> b.requireTls(true));
        FTPClient plain = new FTPClient();
        plain.connect("127.0.0.1", fx.port());
        assertFalse(plain.login("alice", ServerFixture.PASSWORD));
        assertEquals(530, plain.getReplyCode());
        assertFalse(plain.login("anonymous", "x"));
        plain.disconnect();

        FTPSClient c = ftps(false);
        org.junit.jupiter.api.Assertions.assertThrows(javax.net.ssl.SSLException.class, () -> c.execPROT("C"));
        assertEquals(534, c.getReplyCode());
        assertTrue(c.listFiles().length == 0 && c.getReplyCode() == 226);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLS", "TLSv1.2"})
    void dataSessionMustResumeTheControlSessionWhenRequired(String protocol) throws Exception {
        fx = ServerFixture.start(tmp, b -> b.requireTlsReuse(true));
        Files.writeString(fx.home("alice").resolve("f.txt"), "protected");
        SSLContext client = SSLContext.getInstance(protocol);
        client.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
        try (RawClient c = explicit(client)) {
            // TLS 1.3 sessions cannot be resumed over 1.2 data connections: with reuse, all is 1.2.
            assertEquals("TLSv1.2", ((SSLSocket) c.socket).getSession().getProtocol());
            assertEquals("protected", retr(c, client));
            c.expect(226);
            // A fresh session on the data connection is refused.
            SSLContext stranger = SSLContext.getInstance(protocol);
            stranger.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
            try {
                retr(c, stranger);
            } catch (IOException expected) {
                // the server closes the data connection
            }
            c.expect(522);
            c.command("NOOP", 200);
        }
    }

    /**
     * OpenSSL and GnuTLS clients (curl, lftp) never read an upload's data connection. A TLS 1.3
     * NewSessionTicket sent there stays unread, and closing with unread data makes the client's
     * kernel send a reset that destroys the upload's tail. This client does the same: close_notify,
     * then close without reading. Uploads therefore run on TLS 1.2, where the ticket is part of
     * the handshake.
     */
    @Test
    void uploadsSurviveClientsThatNeverReadTheirDataConnection() throws Exception {
        fx = ServerFixture.start(tmp);
        byte[] data = FtpServerTest.random(600_000, 8);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
        // The rate-limited user reads slowly, so data is still queued at the server when the client closes.
        try (RawClient c = explicit(client, "slow")) {
            assertEquals("TLSv1.3", ((SSLSocket) c.socket).getSession().getProtocol());
            c.command("TYPE I", 200);
            {
                Socket plain = new Socket("127.0.0.1", c.epsvPort());
                c.command("STOR up.bin", 150);
                SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(plain, "127.0.0.1", plain.getPort(), false);
                ssl.startHandshake();
                ssl.getOutputStream().write(data);
                ssl.getOutputStream().flush();
                ssl.shutdownOutput();                           // close_notify
                plain.close();                                  // no read: anything unread means a reset
                c.expect(226);
                assertArrayEquals(data, Files.readAllBytes(fx.home("slow").resolve("up.bin")));
            }
        }
    }

    /**
     * ftp-ssl (netkit) on Ctrl-C writes IAC IP and an urgent IAC, then "DM ABOR", in the clear
     * into the TLS control stream. Without urgent data inline, JSSE took FF F4 F2 41 42 for a
     * record header announcing 16,706 bytes and waited for them until the idle timeout; inline,
     * the header (FF F4 FF F2 41) is too long to be one, so the session ends at once, as
     * vsftpd's does. The server goes on serving.
     */
    @Test
    void cleartextTelnetAbortInsideTlsEndsTheSessionAtOnce() throws Exception {
        fx = ServerFixture.start(tmp);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {TrustManagerUtils.getAcceptAllTrustManager()}, null);
        RawClient plain = fx.raw();
        plain.command("AUTH TLS", 234);
        SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(plain.socket, "127.0.0.1", fx.port(), false);
        ssl.startHandshake();
        RawClient c = new RawClient(ssl);
        c.login("alice", ServerFixture.PASSWORD);
        plain.socket.getOutputStream().write(new byte[] {(byte) 0xFF, (byte) 0xF4});
        plain.socket.sendUrgentData(0xFF);
        plain.socket.getOutputStream().write("\u00F2ABOR\r\n".getBytes(StandardCharsets.ISO_8859_1));
        ssl.setSoTimeout(10_000);
        try {
            assertEquals(-1, ssl.getInputStream().read(), "the session went on");
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("the server still waits for the rest of a record that is not one", e);
        } catch (IOException e) {
            // the server's alert or reset: the session ended, which is what we want
        }
        try (RawClient next = fx.raw()) {
            next.login("alice", ServerFixture.PASSWORD);
        }
    }

    /** AUTH TLS, then login and PROT P over the protected control connection. */
    private RawClient explicit(SSLContext client) throws IOException {
        return explicit(client, "alice");
    }

    private RawClient explicit(SSLContext client, String user) throws IOException {
        RawClient plain = fx.raw();
        plain.command("AUTH TLS", 234);
        SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(plain.socket, "127.0.0.1", fx.port(), true);
        ssl.startHandshake();
        RawClient c = new RawClient(ssl);
        c.login(user, ServerFixture.PASSWORD);
        c.command("PBSZ 0", 200);
        c.command("PROT P", 200);
        return c;
    }

    /**
     * RETR over a protected data connection that offers to resume the control session. JSSE's
     * client keys its session cache by host and the socket's port (OpenSSL clients such as curl
     * and lftp simply reuse the session object), so the data connection goes through a relay on
     * 127.0.0.2 at the control port: same cache key, and the server still sees 127.0.0.1.
     */
    private String retr(RawClient c, SSLContext client) throws IOException {
        int port = c.epsvPort();
        try (Relay relay = Relay.start(new InetSocketAddress("127.0.0.2", fx.port()), new InetSocketAddress("127.0.0.1", port))) {
            Socket data = new Socket("127.0.0.2", fx.port());
            c.command("RETR f.txt", 150);
            try (SSLSocket ssl = (SSLSocket) client.getSocketFactory().createSocket(data, "127.0.0.1", fx.port(), true)) {
                ssl.setUseClientMode(true);
                ssl.setSoTimeout(20_000);
                ssl.startHandshake();
                return new String(ssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
