package dev.protokit.chat.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Puts the same security headers on every response, pages, files, errors and WebSocket
 * refusals alike: a Content-Security-Policy that allows only this origin's own scripts and
 * styles (no inline script, no remote fonts or scripts, WebSocket only back to this origin),
 * no framing ({@code frame-ancestors 'none'} and {@code X-Frame-Options: DENY}), no MIME
 * sniffing, no referrer, and HSTS when served over TLS.
 */
public final class SecurityHeaders extends Handler.Wrapper {
    /** The policy every response carries. */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; media-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** One year, the value HSTS preload lists expect. */
    private static final String HSTS = "max-age=31536000";

    private final boolean tls;

    /** Wraps {@code next}; {@code tls} adds Strict-Transport-Security. */
    public SecurityHeaders(Handler next, boolean tls) {
        super(next);
        this.tls = tls;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        apply(response.getHeaders(), tls);
        if (super.handle(request, response, callback)) {
            return true;
        }
        Responses.text(response, callback, 404, "not found");
        return true;
    }

    /** Puts the headers on {@code h}. */
    static void apply(HttpFields.Mutable h, boolean tls) {
        h.put("Content-Security-Policy", CSP);
        h.put("X-Frame-Options", "DENY");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("Cross-Origin-Opener-Policy", "same-origin");
        h.put("Cross-Origin-Resource-Policy", "same-origin");
        h.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        if (tls) {
            h.put(HttpHeader.STRICT_TRANSPORT_SECURITY, HSTS);
        }
    }

    /**
     * Jetty's own error answers (a malformed request, an ambiguous path, a failed handler) with
     * the same headers and a one-line text body instead of an HTML page.
     */
    public static final class Errors extends ErrorHandler {
        private final boolean tls;

        /** For a listener with or without TLS. */
        public Errors(boolean tls) {
            this.tls = tls;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            apply(response.getHeaders(), tls);
            int status = request.getAttribute(ERROR_STATUS) instanceof Integer i ? i : response.getStatus();
            Responses.text(response, callback, status < 400 ? 500 : status, HttpStatus.getMessage(status));
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            apply(fields, tls);
            fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            return ByteBuffer.wrap((HttpStatus.getMessage(status) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
