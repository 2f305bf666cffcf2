package dev.protokit.ftp.client;

import dev.protokit.common.daemon.DurationConverter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every {@code ftp-lite} subcommand shares: where to connect, how to secure it and
 * where the password comes from. A picocli mixin, so they may follow the subcommand name.
 */
public final class ConnectionOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "Server, when REMOTE is a plain path rather than ftp://host/path.")
    String host;

    @Option(names = "--port", paramLabel = "N", description = "Server port (default 21, or 990 with --implicit-tls).")
    Integer port;

    @Option(names = {"-u", "--user"}, paramLabel = "NAME", description = "Login name (default: from the URL, ~/.netrc, else anonymous).")
    String user;

    @Option(names = "--tls", description = "Explicit TLS: AUTH TLS, then PROT P for data (RFC 4217). TLS 1.2 first, sessions "
            + "resumed by id, no session tickets (servers that require data connections to resume the "
            + "control session need it; see docs/ftp.md); TLS 1.3 on a second connection if the server refuses 1.2.")
    boolean tls;

    @Option(names = "--implicit-tls", description = "Implicit TLS from the first byte (port 990); also ftps:// URLs. TLS versions as --tls.")
    boolean implicitTls;

    @Option(names = "--insecure", description = "Accept any server certificate (self-signed); no authentication of the server.")
    boolean insecure;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust the certificates in PEM instead of the JDK trust store.")
    Path caFile;

    @Option(names = "--active", description = "Active mode (PORT/EPRT): the server connects back. Default: passive (EPSV/PASV).")
    boolean active;

    @Option(names = "--netrc", paramLabel = "FILE", description = "Credentials file (default ~/.netrc; must not be readable by group or others).")
    Path netrc;

    @Option(names = "--password-stdin", description = "Read the password as one line from standard input.")
    boolean passwordStdin;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars (they are also off when stderr is not a terminal).")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print the control connection dialogue (never the password) to stderr.")
    boolean verbose;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.PositiveTimeout.class, defaultValue = "30s",
            description = "Connect and idle timeout, e.g. 30s, 2m (default ${DEFAULT-VALUE}).")
    Duration timeout;

    /** How the connection is secured. */
    enum Security { PLAIN, EXPLICIT_TLS, IMPLICIT_TLS }

    Optional<String> host() {
        return Optional.ofNullable(host);
    }

    Optional<Integer> port() {
        return Optional.ofNullable(port);
    }

    Optional<String> user() {
        return Optional.ofNullable(user);
    }

    Optional<Path> caFile() {
        return Optional.ofNullable(caFile);
    }

    Optional<Path> netrc() {
        return Optional.ofNullable(netrc);
    }

    /** The security the flags ask for; both flags at once is a usage error. */
    Security security() {
        if (tls && implicitTls) {
            throw FtpCliException.usage("--tls and --implicit-tls exclude each other");
        }
        return tls ? Security.EXPLICIT_TLS : implicitTls ? Security.IMPLICIT_TLS : Security.PLAIN;
    }
}
