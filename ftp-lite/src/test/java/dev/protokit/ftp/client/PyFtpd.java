package dev.protokit.ftp.client;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pyftpdlib as a reference server for client tests: anonymous (write allowed) plus one
 * user, optionally with explicit TLS required on control and data. Listens on a port the
 * kernel picks (printed by the script, so there is no race). Tests are skipped, with a message
 * saying what to install, when python3-pyftpdlib (and python3-openssl for TLS) is missing.
 */
final class PyFtpd implements AutoCloseable {
    static final String PYTHON = "/usr/bin/python3";
    static final String USER = "alice";
    static final String PASSWORD = "wonder land";

    private static final String SCRIPT = """
            import sys, logging
            from pyftpdlib.authorizers import DummyAuthorizer
            from pyftpdlib.servers import FTPServer
            root, tls, user, password = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
            auth = DummyAuthorizer()
            auth.add_anonymous(root, perm="elradfmwMT")
            auth.add_user(user, password, root, perm="elradfmwMT")
            if tls != "-":
                from pyftpdlib.handlers import TLS_FTPHandler as Handler
                Handler.certfile = tls
                Handler.tls_control_required = True
                Handler.tls_data_required = True
            else:
                from pyftpdlib.handlers import FTPHandler as Handler
            Handler.authorizer = auth
            Handler.permit_foreign_addresses = False
            logging.basicConfig(level=logging.WARNING)
            server = FTPServer(("127.0.0.1", 0), Handler)
            print(server.socket.getsockname()[1], flush=True)
            server.serve_forever()
            """;

    private final Process process;
    private final int port;

    private PyFtpd(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts pyftpdlib serving {@code root}; {@code tlsPem} holds key and certificate to require TLS. */
    static PyFtpd start(Path root, Optional<Path> tlsPem) throws IOException {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "no " + PYTHON + ": apt-get install python3-pyftpdlib to run these tests");
        assumeTrue(importable("pyftpdlib"), "python3-pyftpdlib missing: apt-get install python3-pyftpdlib to run these tests");
        if (tlsPem.isPresent()) {
            assumeTrue(importable("OpenSSL"), "python3-openssl missing: apt-get install python3-openssl for the TLS tests");
        }
        Path script = Files.createTempFile("pyftpd", ".py");
        Files.writeString(script, SCRIPT);
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), root.toString(),
                tlsPem.map(Path::toString).orElse("-"), USER, PASSWORD));
        Path log = Files.createTempFile("pyftpd", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        Files.deleteIfExists(script);
        if (line == null) {
            process.destroyForcibly();
            throw new IOException("pyftpdlib did not start: " + Files.readString(log));
        }
        return new PyFtpd(process, Integer.parseInt(line.strip()));
    }

    private static boolean importable(String module) {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + module).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    int port() {
        return port;
    }

    /** {@code ftp://127.0.0.1:PORT/path} (path without a leading slash is relative to the login directory). */
    String url(String path) {
        return "ftp://127.0.0.1:" + port + "/" + path;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
