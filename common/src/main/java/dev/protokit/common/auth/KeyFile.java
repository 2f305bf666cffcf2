package dev.protokit.common.auth;

import dev.protokit.common.daemon.PrivateFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Reads key files: one key per line, {@code key-id base64-secret}, where the secret is 32
 * random bytes in standard base64; blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 *  # protokit-auth keys
 *  k2026a  q8Jm3n...base64 of 32 bytes...=
 *  k2026b  Z0s1xV...base64 of 32 bytes...=
 * </pre>
 *
 * <p>{@link #load} refuses a file that group or others may access, since anyone who reads it
 * can impersonate both sides. The raw file bytes are wiped once parsed.
 */
public final class KeyFile {
    /** Key files are tiny; anything bigger is not one. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private KeyFile() {
    }

    /** Checks the mode of {@code file}, then reads and parses it into a key ring. */
    public static KeyRing load(Path file) {
        checkPermissions(file);
        byte[] content = null;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new KeyFileException(file + " is larger than " + MAX_FILE_BYTES + " bytes; not a key file");
            }
            content = Files.readAllBytes(file);
            return parse(content, file.toString());
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage(), e);
        } finally {
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
    }

    /** Refuses {@code file} unless only its owner may access it (mode 0600 or 0400). */
    public static void checkPermissions(Path file) {
        Optional<String> problem;
        try {
            problem = PrivateFile.problem(file, "key file");
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + file + ": " + e.getMessage(), e);
        }
        problem.ifPresent(why -> {
            throw new KeyFileException(why);
        });
    }

    /** Parses key file {@code content}; {@code source} names it in error messages. */
    public static KeyRing parse(byte[] content, String source) {
        List<SharedKey> keys = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < content.length) {
            int end = indexOf(content, (byte) '\n', start);
            lineNumber++;
            parseLine(content, start, end, source, lineNumber).ifPresent(keys::add);
            start = end + 1;
        }
        if (keys.isEmpty()) {
            throw new KeyFileException("key file " + source + " holds no keys");
        }
        try {
            return new KeyRing(keys);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("key file " + source + ": " + e.getMessage(), e);
        }
    }

    private static Optional<SharedKey> parseLine(byte[] content, int from, int to, String source, int number) {
        int end = to > from && content[to - 1] == '\r' ? to - 1 : to;
        int start = skipBlanks(content, from, end);
        if (start == end || content[start] == '#') {
            return Optional.empty();
        }
        int idEnd = skipNonBlanks(content, start, end);
        int secretStart = skipBlanks(content, idEnd, end);
        int secretEnd = skipNonBlanks(content, secretStart, end);
        String where = "key file " + source + " line " + number;
        if (secretStart == end || skipBlanks(content, secretEnd, end) != end) {
            throw new KeyFileException(where + ": expected two fields, key-id and base64-secret");
        }
        String id = new String(content, start, idEnd - start, StandardCharsets.US_ASCII);
        if (!KeyId.isValid(id)) {
            throw new KeyFileException(where + ": key id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        byte[] encoded = Arrays.copyOfRange(content, secretStart, secretEnd);
        byte[] secret = null;
        try {
            secret = Base64.getDecoder().decode(encoded);
            if (secret.length != Protocol.KEY_BYTES) {
                throw new KeyFileException(where + ": secret of key " + id + " is " + secret.length
                        + " bytes, expected " + Protocol.KEY_BYTES + " random bytes in base64");
            }
            return Optional.of(new SharedKey(new KeyId(id), secret));
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(where + ": secret of key " + id + " is not valid base64", e);
        } finally {
            Arrays.fill(encoded, (byte) 0);
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length;
    }

    private static int skipBlanks(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && (bytes[i] == ' ' || bytes[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int skipNonBlanks(byte[] bytes, int from, int to) {
        int i = from;
        while (i < to && bytes[i] != ' ' && bytes[i] != '\t') {
            i++;
        }
        return i;
    }
}
