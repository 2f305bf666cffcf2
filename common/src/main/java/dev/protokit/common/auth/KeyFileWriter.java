package dev.protokit.common.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * Makes keys and writes key files for {@code auth-client keygen}. New files are created with
 * mode 0600 from the start (never written first and chmod-ed later). An existing file is
 * never overwritten unless asked ({@link Mode#OVERWRITE}); {@link Mode#APPEND} adds a key to
 * it for rotation, refusing a duplicate id.
 */
public final class KeyFileWriter {
    private static final String HEADER = """
            # protokit-auth keys: one per line, "key-id base64-secret" (32 random bytes).
            # Keep this file mode 0600; the same file goes to the server and the client.
            """;
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /** What to do when the file already exists. */
    public enum Mode {
        /** Refuse: the default, so a key is never lost by accident. */
        CREATE_NEW,
        /** Add the key to the existing file (same permission check as loading). */
        APPEND,
        /** Replace the file atomically with one holding only the new key. */
        OVERWRITE
    }

    private KeyFileWriter() {
    }

    /** A fresh key named {@code id}: 32 bytes from {@code random}. */
    public static SharedKey generate(KeyId id, SecureRandom random) {
        byte[] secret = new byte[Protocol.KEY_BYTES];
        random.nextBytes(secret);
        try {
            return new SharedKey(id, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** Writes {@code key} to {@code file} as {@code mode} says. */
    public static void write(Path file, SharedKey key, Mode mode) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(key, "key");
        byte[] line = line(key);
        try {
            switch (Objects.requireNonNull(mode, "mode")) {
                case CREATE_NEW -> createNew(file, line);
                case APPEND -> append(file, key, line);
                case OVERWRITE -> overwrite(file, line);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException(file + " already exists; use --append to add a key or --force to replace it", e);
        } catch (IOException e) {
            throw new KeyFileException("cannot write key file " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private static void createNew(Path file, byte[] line) throws IOException {
        try (FileChannel out = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY)) {
            writeAll(out, HEADER.getBytes(StandardCharsets.US_ASCII));
            writeAll(out, line);
            out.force(true);
        }
    }

    private static void append(Path file, SharedKey key, byte[] line) throws IOException {
        if (!Files.exists(file)) {
            createNew(file, line);
            return;
        }
        KeyRing existing = KeyFile.load(file);
        try {
            if (existing.find(key.id()).isPresent()) {
                throw new KeyFileException("key file " + file + " already has a key named " + key.id());
            }
        } finally {
            existing.destroy();
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            boolean needsNewline = out.size() > 0 && !endsWithNewline(out);
            out.position(out.size());
            if (needsNewline) {
                writeAll(out, new byte[] {'\n'});
            }
            writeAll(out, line);
            out.force(true);
        }
    }

    private static void overwrite(Path file, byte[] line) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, ".keygen-", ".tmp", OWNER_ONLY);
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                writeAll(out, HEADER.getBytes(StandardCharsets.US_ASCII));
                writeAll(out, line);
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static boolean endsWithNewline(FileChannel channel) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, channel.size() - 1);
        return last.get(0) == '\n';
    }

    private static void writeAll(FileChannel out, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** {@code "id base64\n"}; the caller wipes the returned bytes. */
    private static byte[] line(SharedKey key) {
        byte[] secret = key.copySecret();
        byte[] encoded = Base64.getEncoder().encode(secret);
        Arrays.fill(secret, (byte) 0);
        byte[] id = key.id().value().getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[id.length + 1 + encoded.length + 1];
        System.arraycopy(id, 0, line, 0, id.length);
        line[id.length] = ' ';
        System.arraycopy(encoded, 0, line, id.length + 1, encoded.length);
        line[line.length - 1] = '\n';
        Arrays.fill(encoded, (byte) 0);
        return line;
    }
}
