package dev.protokit.chat.web;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser origins may open the IRC WebSocket: the configured ones
 * ({@code --web-allowed-origin}), the server's own ({@code https://SERVER-NAME:PORT}), and on
 * a loopback listener the loopback names. Checking the Origin header is what stops another
 * site's page from using a visitor's browser to talk to this server (cross-site WebSocket
 * hijacking); the Host header is not trusted for it, so a DNS-rebound name is refused too.
 * A request without Origin is not from a browser page and is allowed (such a client can send
 * any header it likes anyway).
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    private OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    /**
     * The policy for a listener on {@code port}: {@code extra} origins as given (scheme://host[:port],
     * compared without case), the server's name, and the loopback names when {@code bind} is loopback.
     */
    public static OriginPolicy of(List<String> extra, String serverName, InetAddress bind, int port, boolean tls) {
        var set = new LinkedHashSet<String>();
        for (String o : extra) {
            set.add(normalise(o));
        }
        String scheme = tls ? "https" : "http";
        set.add(origin(scheme, serverName, port, tls));
        if (bind.isLoopbackAddress()) {
            for (String host : List.of("localhost", "127.0.0.1", "[::1]")) {
                set.add(origin(scheme, host, port, tls));
            }
        }
        return new OriginPolicy(set);
    }

    /** Checks an {@code Origin} value as sent by a browser: {@code scheme://host[:port]}. */
    public static Optional<String> invalid(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        if (!(o.startsWith("http://") || o.startsWith("https://")) || o.indexOf('/', o.indexOf("//") + 2) >= 0) {
            return Optional.of("origin must be scheme://host[:port], got " + origin);
        }
        return Optional.empty();
    }

    private static String origin(String scheme, String host, int port, boolean tls) {
        boolean defaultPort = tls ? port == 443 : port == 80;
        return normalise(scheme + "://" + host + (defaultPort ? "" : ":" + port));
    }

    private static String normalise(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    /** Whether a request with this Origin header (absent: not a browser page) may upgrade. */
    public boolean allows(Optional<String> origin) {
        return origin.map(o -> allowed.contains(normalise(o))).orElse(true);
    }

    /** The allowed origins, for the log. */
    public Set<String> allowed() {
        return allowed;
    }
}
