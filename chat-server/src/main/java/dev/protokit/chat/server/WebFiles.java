package dev.protokit.chat.server;

import dev.protokit.chat.core.Client;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.chat.web.AttachmentLinks;
import dev.protokit.chat.web.Responses;
import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.daemon.LogThrottle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attachments (those the native protocol stores, {@link NativeAttachments}) over HTTPS.
 *
 * <p>An IRC client logged in to an account asks {@code FILELINK ID}; if the account may see the
 * attachment (a member of its room, or a side of its direct conversation) the answer is
 * {@code :server FILELINK ID PATH} with an {@link AttachmentLinks} path, else
 * {@code FAIL FILELINK NO_SUCH_ATTACHMENT ID} (the same for an unknown id). {@code GET PATH} then
 * streams the file from disk with its size, a safe Content-Type (the sender's type unless it is
 * one a browser would run) and {@code Content-Disposition: attachment} with the name; an expired,
 * altered or foreign link gets 404 like a missing file.
 */
final class WebFiles extends Handler.Abstract {
    /** The largest body of a refused upload read before the refusal (see refuseBeforeBody). */
    private static final long DRAINED_BODY_BYTES = 1 << 20;
    /** The IRC command that asks for a link. */
    static final String COMMAND = "FILELINK";
    /** The IRC command that asks for an upload path. */
    static final String UPLOAD = "FILEUPLOAD";
    private static final Pattern PATH = Pattern.compile("/files/([A-Za-z0-9_-]{22})/[^/]+");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z]+/[a-z0-9.+-]+");
    /** Types a browser would render or run: always downloaded as octet-stream. */
    private static final Set<String> ACTIVE = Set.of("text/html", "application/xhtml+xml", "image/svg+xml", "text/xml",
            "application/xml", "text/javascript", "application/javascript", "application/x-javascript", "text/css");
    private static final Map<Path, AttachmentLinks> LINKS = new ConcurrentHashMap<>();
    private static final Logger LOG = LoggerFactory.getLogger("chat-server-web");

    /** Refused downloads are logged, a few a second at most (a scan of guessed links is one line). */
    private final LogThrottle refusals = LogThrottle.perPeerEvents();

    private final NativeAttachments attachments;
    private final AttachmentLinks links;

    WebFiles(Path stateDir, long maxUploadBytes, AttachmentUsage usage) {
        super(InvocationType.BLOCKING); // streams from and to disk: run on a virtual thread
        this.attachments = new NativeAttachments(stateDir, maxUploadBytes, usage);
        this.links = links(stateDir);
    }

    private static AttachmentLinks links(Path stateDir) {
        return LINKS.computeIfAbsent(stateDir, d -> AttachmentLinks.inStateDir(d, Clock.systemUTC()));
    }

    /** {@code FILELINK ID}: a link for a logged-in account that may see the attachment. */
    static void link(IrcSession s, Client c, IrcMessage m) {
        if (m.params().isEmpty()) {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(COMMAND, "NEED_MORE_PARAMS", "FILELINK needs an attachment id")));
            return;
        }
        String id = m.params().getFirst();
        Optional<String> account = c.account();
        if (account.isEmpty()) {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(COMMAND, "ACCOUNT_REQUIRED", id, "Log in to download attachments")));
            return;
        }
        Path state = s.ctx.config().stateDir();
        Optional<NativeAttachments.Entry> entry = new NativeAttachments(state, 0, s.ctx.attachmentUsage()).find(id)
                .filter(e -> e.visibleTo(account.get(), c));
        if (entry.isEmpty()) {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(COMMAND, "NO_SUCH_ATTACHMENT", id, "No such attachment")));
            return;
        }
        s.send(IrcMessage.from(s.serverName, COMMAND, List.of(id, links(state).path(id, entry.get().info().name(), account.get()))));
    }

    /**
     * {@code FILEUPLOAD TARGET SIZE MEDIA-TYPE :NAME}: for a logged-in account in room TARGET (or
     * writing to account TARGET), a signed path to POST exactly SIZE bytes to; the answer to the POST
     * is the text that offers the stored file, which the client then sends to TARGET as a message.
     */
    static void uploadLink(IrcSession s, Client c, IrcMessage m) {
        List<String> p = m.params();
        if (p.size() < 4 || !p.get(1).matches("[0-9]{1,15}")) {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(UPLOAD, "NEED_MORE_PARAMS", "FILEUPLOAD target size type :name")));
            return;
        }
        Optional<String> account = c.account();
        String target = p.get(0);
        if (account.isEmpty()) {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(UPLOAD, "ACCOUNT_REQUIRED", target, "Log in to share files")));
            return;
        }
        String key;
        if (target.startsWith("#")) {
            key = new dev.protokit.chat.core.Conversation.Room(target.substring(1)).key();
            if (c.rooms().stream().noneMatch(r -> new dev.protokit.chat.core.Conversation.Room(r.name()).key().equals(key))) {
                s.send(IrcMessage.from(s.serverName, "FAIL", List.of(UPLOAD, "INVALID_TARGET", target, "You are not in that room")));
                return;
            }
        } else if (s.ctx.core().account(target).isPresent()) {
            key = new dev.protokit.chat.core.Conversation.Direct(account.get(), target).key();
        } else {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(UPLOAD, "INVALID_TARGET", target, "No such room or account")));
            return;
        }
        try {
            new dev.protokit.chat.wire.AttachmentInfo("A".repeat(dev.protokit.chat.wire.AttachmentInfo.ID_CHARS), p.get(3), p.get(2),
                    Long.parseLong(p.get(1)));
        } catch (RuntimeException e) {
            s.send(IrcMessage.from(s.serverName, "FAIL", List.of(UPLOAD, "INVALID_PARAMS", target, "Bad file name or media type")));
            return;
        }
        String path = links(s.ctx.config().stateDir()).uploadPath(key, account.get(), p.get(3), p.get(2), Long.parseLong(p.get(1)));
        s.send(IrcMessage.from(s.serverName, UPLOAD, List.of(target, path)));
    }

    /** {@code POST /upload?...}: stores the body (exactly the signed size) and answers with the offer text. */
    private boolean upload(Request request, org.eclipse.jetty.server.Response response, Callback callback) throws IOException {
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            Responses.text(response, callback, 405, "method not allowed");
            return true;
        }
        Fields q = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String key = q.getValue("k"), account = q.getValue("a"), name = q.getValue("n"), type = q.getValue("t");
        String size = q.getValue("l"), expiry = q.getValue("e"), mac = q.getValue("s");
        if (key == null || account == null || name == null || type == null || mac == null || size == null || expiry == null
                || !size.matches("[0-9]{1,15}") || !expiry.matches("[0-9]{1,12}")
                || !links.validUpload(key, account, name, type, Long.parseLong(size), Long.parseLong(expiry), mac)) {
            refuseBeforeBody(request, response);
            Responses.text(response, callback, 403, "upload link not valid");
            return true;
        }
        long length = Long.parseLong(size);
        if (request.getLength() != length) {
            refuseBeforeBody(request, response);
            Responses.text(response, callback, 400, "the body must be exactly " + length + " bytes (Content-Length)");
            return true;
        }
        try (InputStream body = Content.Source.asInputStream(request)) {
            var entry = attachments.receive(account, key, name, type, length, body, java.time.Instant.now());
            Responses.text(response, callback, 200, NativeAttachments.offerText(entry.info()));
        } catch (dev.protokit.chat.wire.ChatWireException e) {
            Responses.text(response, callback, e.code() == dev.protokit.chat.wire.ErrorCode.TOO_LARGE ? 413 : 503, e.getMessage());
        }
        return true;
    }

    /**
     * A refusal before the body is read. A body of up to {@link #DRAINED_BODY_BYTES} is read and
     * dropped first: closing with body bytes unread or still coming makes the kernel reset the
     * connection, and the reset destroys the reply in the client's receive buffer before it is
     * read (RFC 9112 section 9.6; the JDK's HttpClient: "header parser received no bytes"). The
     * connection closes after the reply, and says so, or a client reusing it raced the close and
     * saw no reply to its next request. A larger body is not read: that client may see a reset.
     */
    private static void refuseBeforeBody(Request request, org.eclipse.jetty.server.Response response) {
        long length = request.getLength();
        if (length > 0 && length <= DRAINED_BODY_BYTES) {
            try (InputStream body = Content.Source.asInputStream(request)) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException clientGone) {
                // the reply below may not reach it; nothing else to do
            }
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) throws IOException {
        if (Request.getPathInContext(request).equals("/upload")) {
            return upload(request, response, callback);
        }
        var matcher = PATH.matcher(Request.getPathInContext(request));
        if (!matcher.matches()) {
            return false;
        }
        if (Responses.refusedUnlessRead(request, response, callback)) {
            return true;
        }
        String method = request.getMethod();
        String id = matcher.group(1);
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        String account = query.getValue("a");
        boolean linkValid = account != null && valid(id, account, query.getValue("e"), query.getValue("s"));
        Optional<NativeAttachments.Entry> entry = linkValid ? attachments.find(id) : Optional.empty();
        if (entry.isEmpty()) {
            // Only a valid link costs a look on disk; a scan of guessed links never does.
            refusals.admit().ifPresent(left -> LOG.warn("web: download refused (404) from {}: attachment {}: {}{}",
                    Addresses.format((InetSocketAddress) request.getConnectionMetaData().getRemoteSocketAddress()),
                    id, linkValid ? "no such attachment" : "link not valid or expired", LogThrottle.suffix(left)));
            Responses.text(response, callback, 404, "not found");
            return true;
        }
        var info = entry.get().info();
        String type = info.mediaType().toLowerCase(java.util.Locale.ROOT);
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, MEDIA_TYPE.matcher(type).matches() && !ACTIVE.contains(type) ? type : "application/octet-stream");
        h.put(HttpHeader.CONTENT_LENGTH, info.size());
        h.put("Content-Disposition", disposition(info.name()));
        h.put(HttpHeader.CACHE_CONTROL, "private, no-store");
        h.put("Content-Security-Policy", "sandbox; default-src 'none'");
        response.setStatus(200);
        if (method.equals("HEAD")) {
            response.write(true, java.nio.ByteBuffer.allocate(0), callback);
            return true;
        }
        try (InputStream in = attachments.open(entry.get()); OutputStream out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out); // streamed: never more than a buffer in memory
            callback.succeeded();
        } catch (IOException e) {
            callback.failed(e);
        }
        return true;
    }

    private boolean valid(String id, String account, String expiry, String mac) {
        if (expiry == null || mac == null || !expiry.matches("[0-9]{1,12}")) {
            return false;
        }
        return links.valid(id, account, Long.parseLong(expiry), mac);
    }

    /** RFC 6266: an ASCII fallback name and the UTF-8 one (RFC 8187). */
    static String disposition(String name) {
        String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
        var utf8 = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                utf8.append((char) c);
            } else {
                utf8.append('%').append(String.format("%02X", c));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
