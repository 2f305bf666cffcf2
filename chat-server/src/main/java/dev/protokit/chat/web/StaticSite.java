package dev.protokit.chat.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web client: a fixed list of files from this jar's {@code dev/protokit/chat/web/site/},
 * read once at start and served from memory at {@code /} and {@code /NAME}. Only the listed
 * names exist (no directory listing, no path is resolved against a file system), GET and HEAD
 * only, each with its content type and {@code Cache-Control: no-cache} so a new server version
 * is picked up at the next load.
 */
public final class StaticSite extends Handler.Abstract.NonBlocking {
    /** The files of the web client; {@code /} is the first. */
    public static final List<String> FILES = List.of("index.html", "style.css", "app.js", "irc.js", "presence.js");
    private static final String ROOT = "/dev/protokit/chat/web/site/";

    private record File(String type, byte[] bytes) {}

    private final Map<String, File> files = new HashMap<>();

    /** Loads the files; a missing one is a packaging error. */
    public StaticSite() {
        for (String name : FILES) {
            try (InputStream in = StaticSite.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("web client file missing from the jar: " + name);
                }
                files.put("/" + name, new File(type(name), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        files.put("/", files.get("/" + FILES.getFirst()));
    }

    private static String type(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        throw new IllegalArgumentException("no content type for " + name);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        File f = files.get(Request.getPathInContext(request));
        if (f == null) {
            return false;
        }
        if (Responses.refusedUnlessRead(request, response, callback)) {
            return true;
        }
        String method = request.getMethod();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, f.type());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, f.bytes().length);
        response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(f.bytes()), callback);
        return true;
    }
}
