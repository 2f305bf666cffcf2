package dev.protokit.ftp.client;

import dev.protokit.ftp.client.ConnectionOptions.Security;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a remote argument points: server, port, login name and path, with the security to use.
 * Parsed from {@code ftp://user@host:port/path} (or {@code ftps://} for implicit TLS), or from a
 * plain path plus {@code --host/--port/--user}.
 *
 * <p>As RFC 1738 section 3.2.2 says, the URL path is relative to the login directory:
 * {@code ftp://h/pub/a} is {@code pub/a}, and {@code ftp://h//etc} or {@code ftp://h/%2Fetc} is
 * {@code /etc}. Control characters are refused everywhere, since a CR LF inside a path would
 * smuggle a second FTP command onto the control connection.
 */
record Target(String host, int port, Optional<String> user, Optional<String> urlPassword, String path, Security security) {
    static final int FTP_PORT = 21;
    static final int FTPS_IMPLICIT_PORT = 990;

    Target {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(urlPassword, "urlPassword");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(security, "security");
        if (port < 1 || port > 65535) {
            throw FtpCliException.usage("port " + port + " is outside 1-65535");
        }
        requireNoControl("host", host);
        user.ifPresent(u -> requireNoControl("user name", u));
        requireNoControl("path", path);
    }

    /** True if {@code argument} is a URL rather than a plain remote path. */
    static boolean isUrl(String argument) {
        return argument.startsWith("ftp://") || argument.startsWith("ftps://");
    }

    /** Resolves a remote argument against the connection options. */
    static Target of(String argument, ConnectionOptions options) {
        Security flags = options.security();
        if (!isUrl(argument)) {
            String host = options.host().orElseThrow(() -> FtpCliException.usage(
                    "no server for '" + argument + "': give ftp://host/path or --host HOST"));
            return new Target(host, options.port().orElse(defaultPort(flags)), options.user(), Optional.empty(),
                    argument.isEmpty() ? "." : argument, flags);
        }
        URI uri;
        try {
            uri = new URI(argument);
        } catch (URISyntaxException e) {
            throw FtpCliException.usage("malformed URL " + argument + ": " + e.getReason());
        }
        Security security = flags;
        if (uri.getScheme().equals("ftps")) {
            if (flags == Security.EXPLICIT_TLS) {
                throw FtpCliException.usage("ftps:// means implicit TLS; use ftp:// with --tls for explicit TLS");
            }
            security = Security.IMPLICIT_TLS;
        }
        if (uri.getHost() == null) {
            throw FtpCliException.usage("no host in URL " + argument);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw FtpCliException.usage("FTP URLs take no ?query or #fragment: " + argument);
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : options.port().orElse(defaultPort(security));
        Optional<String> user = options.user();
        Optional<String> password = Optional.empty();
        if (uri.getUserInfo() != null) {
            String info = uri.getUserInfo();
            int colon = info.indexOf(':');
            user = Optional.of(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? Optional.empty() : Optional.of(info.substring(colon + 1));
        }
        return new Target(host, port, user.filter(u -> !u.isEmpty()), password, urlPath(uri.getPath()), security);
    }

    /** The same server with another path: a second remote argument may be a URL to the same server or a path. */
    Target sibling(String argument, ConnectionOptions options) {
        if (!isUrl(argument)) {
            return new Target(host, port, user, urlPassword, argument, security);
        }
        Target other = of(argument, options);
        if (!other.host.equals(host) || other.port != port) {
            throw FtpCliException.usage(argument + " is on another server than " + host + ":" + port);
        }
        return new Target(host, port, user, urlPassword, other.path, security);
    }

    /** {@code host:port/path}, for messages. */
    String describe() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + (path.startsWith("/") ? "" : "/") + path;
    }

    private static String urlPath(String decoded) {
        if (decoded == null || decoded.isEmpty() || decoded.equals("/")) {
            return ".";
        }
        return decoded.startsWith("/") ? decoded.substring(1) : decoded;
    }

    private static int defaultPort(Security security) {
        return security == Security.IMPLICIT_TLS ? FTPS_IMPLICIT_PORT : FTP_PORT;
    }

    private static void requireNoControl(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw FtpCliException.usage(what + " contains control character 0x" + Integer.toHexString(c) + ": refused");
            }
        }
    }
}
