package dev.protokit.chat.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Short plain-text answers (errors, refusals): no HTML error pages, nothing about the server. */
public final class Responses {
    private Responses() {}

    /** Answers 405 (with Allow) unless the request is GET or HEAD; true if it answered. */
    public static boolean refusedUnlessRead(org.eclipse.jetty.server.Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        text(response, callback, 405, "method not allowed");
        return true;
    }

    /** Completes {@code callback} with {@code status} and {@code text} as a one-line text body. */
    public static void text(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }
}
