package dev.protokit.chat.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Download links for attachments: {@code /files/ID/NAME?a=ACCOUNT&e=EXPIRY&s=MAC}, where MAC is
 * HMAC-SHA256 over the id, the account and the expiry (seconds since the epoch) under a key
 * kept in the state directory ({@code web-links.key}, 32 random bytes, mode 0600). A link is
 * issued only to an account allowed to see the attachment, names that account, and stops working
 * after {@link #LIFETIME}; the attachment id alone (128 random bits) is not enough to download.
 */
public final class AttachmentLinks {
    /** How long a link works. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final String KEY_FILE = "web-links.key";

    private final byte[] key;
    private final Clock clock;

    /** Links under {@code key} (at least 32 bytes) on {@code clock}. */
    public AttachmentLinks(byte[] key, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("link key must be at least 32 bytes");
        }
        this.key = key.clone();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Links under the state directory's key, created on first use. */
    public static AttachmentLinks inStateDir(Path stateDir, Clock clock) {
        Path file = stateDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path tmp = Files.createTempFile(stateDir, KEY_FILE, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(tmp, fresh);
                try {
                    Files.createLink(file, tmp); // atomic, and never over a key another start just wrote
                } catch (FileAlreadyExistsException e) {
                    // another listener made it first: use that one
                } finally {
                    Files.delete(tmp);
                }
            }
            return new AttachmentLinks(Files.readAllBytes(file), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** The path (with query) of a link to attachment {@code id} called {@code name}, for {@code account}. */
    public String path(String id, String name, String account) {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        return "/files/" + id + "/" + encode(name) + "?a=" + encode(account) + "&e=" + expiry + "&s=" + mac(id, account, expiry);
    }

    /** Whether {@code mac} is this server's for the three values and {@code expiry} has not passed. */
    public boolean valid(String id, String account, long expiry, String mac) {
        return validMac(expiry, mac, id, account);
    }

    /**
     * The path of a one-file upload into conversation {@code conversationKey} by {@code account}:
     * {@code /upload?k=KEY&a=ACCOUNT&n=NAME&t=TYPE&l=SIZE&e=EXPIRY&s=MAC}, every value signed, so
     * the POST can only store that file, of that size, there, as that account, before the expiry.
     */
    public String uploadPath(String conversationKey, String account, String name, String type, long size) {
        long expiry = clock.instant().plus(LIFETIME).getEpochSecond();
        return "/upload?k=" + encode(conversationKey) + "&a=" + encode(account) + "&n=" + encode(name) + "&t=" + encode(type)
                + "&l=" + size + "&e=" + expiry + "&s=" + mac(expiry, "upload", conversationKey, account, name, type, Long.toString(size));
    }

    /** Whether an upload path's values are this server's and unexpired. */
    public boolean validUpload(String conversationKey, String account, String name, String type, long size, long expiry,
                               String mac) {
        return validMac(expiry, mac, "upload", conversationKey, account, name, type, Long.toString(size));
    }

    private boolean validMac(long expiry, String mac, String... fields) {
        if (expiry < clock.instant().getEpochSecond()) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(mac);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(Base64.getUrlDecoder().decode(mac(expiry, fields)), given);
    }

    private String mac(String id, String account, long expiry) {
        return mac(expiry, id, account);
    }

    /** HMAC-SHA256 over the fields and the expiry, one per line (no field holds a line feed). */
    private String mac(long expiry, String... fields) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] out = hmac.doFinal((String.join("\n", fields) + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
