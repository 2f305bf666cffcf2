package dev.protokit.ftp.server;

import dev.protokit.common.daemon.ConnectionLimits;
import dev.protokit.common.daemon.FailureThrottle;
import dev.protokit.common.tls.ServerTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;

/**
 * Everything an {@link FtpServer} needs, resolved and validated: no file names left to read, no
 * flags left to parse. {@link FtpServerCommand} builds one from the command line; tests build one
 * with {@link #builder(Path)}.
 *
 * @param bind             control-connection address; port 0 picks a free one
 * @param implicitPort     where implicit FTPS listens (an older convention than AUTH TLS that clients still use)
 * @param limits           sessions overall and per peer address
 * @param handshakeTimeout from connect to greeting, including the implicit FTPS handshake and AUTH TLS's
 * @param idleTimeout      a control connection silent this long (and with no transfer) is closed
 * @param loginTimeout     a session not logged in this long after connecting is closed
 * @param dataTimeout      waiting for a data connection, or a data connection making no progress, this long fails the transfer
 * @param passivePorts     the ports PASV/EPSV listen on
 * @param passiveAddress   the IPv4 address PASV advertises instead of the control connection's (NAT)
 * @param root             the served directory: what relative user homes are under, and by default anonymous users' home
 * @param anonymousRoot    anonymous users' home (a real path; {@code root} unless {@code --anonymous-root} says otherwise)
 * @param anonymous        whether anonymous login (user "anonymous" or "ftp") is allowed, rooted at {@code anonymousRoot}
 * @param anonymousWrite   whether anonymous users may change files
 * @param users            checks virtual users' passwords
 * @param tls              the TLS context for AUTH TLS, PROT P and implicit FTPS
 * @param requireTls       refuse login and unprotected data before AUTH TLS
 * @param requireTlsReuse  data connections under PROT P must resume the control connection's TLS session
 * @param maxUploadSize    the largest file STOR/APPE may produce
 * @param uploadFsync      fsync an upload before renaming it into place (off: atomic, but not durable across power loss)
 * @param defaultRate      bytes per second per user when the user has no rate of their own
 * @param addressThrottle  login failures per peer address
 * @param userThrottle     login failures per user name
 * @param maxLoginAttempts wrong passwords in one session before it is closed
 * @param maxLineBytes     longest accepted command line
 * @param uploadPartMaxAge how long the part an interrupted upload left is kept for a resume
 */
public record FtpServerConfig(InetSocketAddress bind, OptionalInt implicitPort, ConnectionLimits limits,
                              Duration handshakeTimeout, Duration idleTimeout, Duration loginTimeout, Duration dataTimeout,
                              PortRange passivePorts, Optional<InetAddress> passiveAddress,
                              Path root, Path anonymousRoot, boolean anonymous, boolean anonymousWrite, Authenticator users,
                              SSLContext tls, boolean requireTls, boolean requireTlsReuse,
                              OptionalLong maxUploadSize, boolean uploadFsync, OptionalLong defaultRate,
                              FailureThrottle.Policy addressThrottle, FailureThrottle.Policy userThrottle,
                              int maxLoginAttempts, int maxLineBytes, Duration uploadPartMaxAge) {
    /** The subject of the self-signed certificate used when no --tls-cert is given. */
    static final String SELF_SIGNED_NAME = "protokit ftp-lite (self-signed)";

    public FtpServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(implicitPort, "implicitPort");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        Objects.requireNonNull(dataTimeout, "dataTimeout");
        Objects.requireNonNull(passivePorts, "passivePorts");
        Objects.requireNonNull(passiveAddress, "passiveAddress");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(anonymousRoot, "anonymousRoot");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(maxUploadSize, "maxUploadSize");
        Objects.requireNonNull(defaultRate, "defaultRate");
        Objects.requireNonNull(addressThrottle, "addressThrottle");
        Objects.requireNonNull(userThrottle, "userThrottle");
        if (implicitPort.isPresent() && (implicitPort.getAsInt() < 0 || implicitPort.getAsInt() > 65535)) {
            throw new IllegalArgumentException("--implicit-port must be 0..65535, got " + implicitPort.getAsInt());
        }
        Objects.requireNonNull(uploadPartMaxAge, "uploadPartMaxAge");
        if (uploadPartMaxAge.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--upload-part-max-age must be at least 1s, got " + uploadPartMaxAge);
        }
        if (dataTimeout.isZero() || dataTimeout.isNegative()) {
            throw new IllegalArgumentException("dataTimeout must be positive");
        }
        if (maxLoginAttempts < 1 || maxLineBytes < 64) {
            throw new IllegalArgumentException("maxLoginAttempts >= 1 and maxLineBytes >= 64 required");
        }
    }

    /** An inclusive range of TCP ports; {@code 0-0} means any free port. */
    public record PortRange(int first, int last) {
        public PortRange {
            if (first < 0 || last > 65535 || first > last || (first == 0) != (last == 0)) {
                throw new IllegalArgumentException("bad port range " + first + "-" + last);
            }
        }

        /** Any free port, chosen by the kernel. */
        public static PortRange any() {
            return new PortRange(0, 0);
        }

        /** Parses {@code 30000-30100}. */
        public static PortRange parse(String text) {
            String[] parts = text.strip().split("-", -1);
            try {
                if (parts.length == 2) {
                    return new PortRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new IllegalArgumentException("port range must look like 30000-30100, got '" + text + "'");
        }

        public int size() {
            return last - first + 1;
        }
    }

    /** A builder with test-friendly defaults: loopback, any port, anonymous read-only at {@code root} (a real path). */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** Mutable builder; every setter returns {@code this}. */
    public static final class Builder {
        InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        OptionalInt implicitPort = OptionalInt.empty();
        ConnectionLimits limits = new ConnectionLimits(512, 512);
        Duration handshakeTimeout = Duration.ofSeconds(10);
        Duration idleTimeout = Duration.ofMinutes(5);
        Duration loginTimeout = Duration.ofMinutes(1);
        Duration dataTimeout = Duration.ofSeconds(30);
        PortRange passivePorts = PortRange.any();
        Optional<InetAddress> passiveAddress = Optional.empty();
        final Path root;
        Path anonymousRoot;
        boolean anonymous = true;
        boolean anonymousWrite;
        Authenticator users = Authenticator.NONE;
        SSLContext tls;
        boolean requireTls;
        boolean requireTlsReuse;
        OptionalLong maxUploadSize = OptionalLong.empty();
        boolean uploadFsync = true;
        OptionalLong defaultRate = OptionalLong.empty();
        FailureThrottle.Policy addressThrottle = FailureThrottle.Policy.defaults();
        FailureThrottle.Policy userThrottle = FailureThrottle.Policy.defaults();
        int maxLoginAttempts = 3;
        int maxLineBytes = 8192;
        Duration uploadPartMaxAge = Duration.ofDays(1);

        Builder(Path root) {
            this.root = root;
        }

        public Builder bind(InetSocketAddress v) { bind = v; return this; }
        public Builder implicitPort(int v) { implicitPort = OptionalInt.of(v); return this; }
        public Builder limits(ConnectionLimits v) { limits = v; return this; }
        public Builder handshakeTimeout(Duration v) { handshakeTimeout = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder loginTimeout(Duration v) { loginTimeout = v; return this; }
        public Builder dataTimeout(Duration v) { dataTimeout = v; return this; }
        public Builder passivePorts(PortRange v) { passivePorts = v; return this; }
        public Builder passiveAddress(InetAddress v) { passiveAddress = Optional.of(v); return this; }
        public Builder anonymousRoot(Path v) { anonymousRoot = v; return this; }
        public Builder anonymous(boolean allowed, boolean write) { anonymous = allowed; anonymousWrite = write; return this; }
        public Builder users(Authenticator v) { users = v; return this; }
        public Builder tls(SSLContext v) { tls = v; return this; }
        public Builder requireTls(boolean v) { requireTls = v; return this; }
        public Builder requireTlsReuse(boolean v) { requireTlsReuse = v; return this; }
        public Builder maxUploadSize(long v) { maxUploadSize = OptionalLong.of(v); return this; }
        public Builder uploadFsync(boolean v) { uploadFsync = v; return this; }
        public Builder defaultRate(long v) { defaultRate = OptionalLong.of(v); return this; }
        public Builder throttles(FailureThrottle.Policy perAddress, FailureThrottle.Policy perUser) {
            addressThrottle = perAddress;
            userThrottle = perUser;
            return this;
        }
        public Builder maxLoginAttempts(int v) { maxLoginAttempts = v; return this; }
        public Builder maxLineBytes(int v) { maxLineBytes = v; return this; }
        public Builder uploadPartMaxAge(Duration v) { uploadPartMaxAge = v; return this; }

        /** The configuration; without a TLS context one is made from a fresh self-signed certificate. */
        public FtpServerConfig build() {
            SSLContext context = tls != null ? tls : ServerTls.selfSignedInMemory(FtpServerConfig.SELF_SIGNED_NAME);
            return new FtpServerConfig(bind, implicitPort, limits, handshakeTimeout, idleTimeout, loginTimeout, dataTimeout,
                    passivePorts, passiveAddress, root, anonymousRoot != null ? anonymousRoot : root, anonymous, anonymousWrite, users, context, requireTls,
                    requireTlsReuse, maxUploadSize, uploadFsync, defaultRate, addressThrottle, userThrottle,
                    maxLoginAttempts, maxLineBytes, uploadPartMaxAge);
        }
    }
}
