package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.common.tls.ServerTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/**
 * Uploads in a row over data connections that must resume the control connection's session, as
 * ProFTPD (by default) and vsftpd (require_ssl_reuse=YES) demand, set up as {@link
 * ResumingFtpsClient} sets them up, against a JSSE server. Under TLS 1.3 each upload used up one
 * of JSSE's single-use tickets without reading the next one, and every data connection ran a full
 * handshake (ProFTPD refused the third upload of {@code mirror -R --tls} with 425); on TLS 1.2
 * all of them resume.
 */
class DataSessionResumptionTest {
    private static final int UPLOADS = 4;
    private static final byte[] FILE = ClientContract.random(100_000, 11);

    @Test
    void uploadsInARowKeepResumingTheControlSession() throws Exception {
        SSLContext server = ServerTls.selfSignedInMemory("127.0.0.1");
        AtomicInteger fullHandshakes = new AtomicInteger();
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, new TrustManager[] {new CountingTrust(fullHandshakes)}, null);
        try (ServerSocket listener = new ServerSocket(0, UPLOADS + 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<byte[]>> received = CompletableFuture.supplyAsync(() -> serve(listener, server));
            int port = listener.getLocalPort();
            try (SSLSocket control = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                control.setEnabledProtocols(ResumingFtpsClient.PROTOCOLS); // as FTPSClient sets them on the control socket
                control.startHandshake();
                assertEquals('2', control.getInputStream().read()); // a "reply": any ticket came before it
                for (int i = 0; i < UPLOADS; i++) {
                    upload(client, control.getSession());
                }
            }
            List<byte[]> files = received.get(60, TimeUnit.SECONDS);
            assertEquals(UPLOADS, files.size());
            for (byte[] file : files) {
                assertArrayEquals(FILE, file);
            }
        }
        assertEquals(1, fullHandshakes.get(), "only the control connection may run a full handshake");
    }

    /** One upload's data connection, as {@link ResumingFtpsClient} opens it, written and closed. */
    private static void upload(SSLContext client, SSLSession control) throws IOException {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), control.getPeerPort());
        try (SSLSocket tls = ResumingFtpsClient.resumeOver(plain, control, client, false);
             OutputStream out = tls.getOutputStream()) {
            out.write(FILE);
        }
    }

    /** The control connection (one byte written, held open) and then {@link #UPLOADS} data connections, each read to its end. */
    private static List<byte[]> serve(ServerSocket listener, SSLContext context) {
        List<byte[]> files = new ArrayList<>();
        try (SSLSocket control = accept(listener, context)) {
            control.getOutputStream().write('2');
            control.getOutputStream().flush();
            for (int i = 0; i < UPLOADS; i++) {
                try (SSLSocket data = accept(listener, context)) {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    data.getInputStream().transferTo(got);
                    files.add(got.toByteArray());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("server side failed after " + files.size() + " uploads", e);
        }
        return files;
    }

    private static SSLSocket accept(ServerSocket listener, SSLContext context) throws IOException {
        Socket plain = listener.accept();
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.startHandshake();
        return tls;
    }

    /** Trusts any server and counts the certificate checks: a resumed handshake makes none. */
    private static final class CountingTrust extends X509ExtendedTrustManager {
        private final AtomicInteger checks;

        CountingTrust(AtomicInteger checks) {
            this.checks = checks;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            checks.incrementAndGet();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            checks.incrementAndGet();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            checks.incrementAndGet();
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
