package dev.protokit.chat.server;

import dev.protokit.chat.wire.AttachmentInfo;
import dev.protokit.chat.wire.ChatWireException;
import dev.protokit.chat.wire.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Attachments sent natively, kept under {@code STATE/attachments/}: {@code ID} holds the bytes,
 * {@code ID.properties} who sent it where, its name, media type and size. The id is 128 bits
 * from a CSPRNG in base64url, so it cannot be guessed, and it is the only name on disk: the
 * sender's file name is data, never a path. A file lands atomically (written to {@code ID.part},
 * forced, renamed) and only then is offered, so a half-received upload is never downloadable.
 * What an account has stored is held against its quota ({@link AttachmentUsage}); attachments
 * expire with the history that offers them ({@link #purgeBefore}), and what a crash left half
 * written is removed at start-up ({@link #recover}).
 *
 * <p>Thread-safe: each call works on its own files; ids never collide in practice (2^-64 after
 * 2^32 files) and a collision fails the rename rather than overwriting.
 */
final class NativeAttachments {
    /** The line a room or direct message carries for an attachment; IRC users see it as text. */
    private static final Pattern OFFER = Pattern.compile("\\[attachment ([A-Za-z0-9_-]{" + AttachmentInfo.ID_CHARS + "})]$");
    private static final int ID_BYTES = 16;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{" + AttachmentInfo.ID_CHARS + "}");

    /** A stored attachment: what it is, who sent it, and the conversation key it belongs to. */
    record Entry(AttachmentInfo info, String sender, String conversationKey, Instant time) {
        /** A room's attachment is for its members now, a direct one for its two sides. */
        boolean visibleTo(String account, dev.protokit.chat.core.Client client) {
            if (conversationKey.startsWith("#")) {
                return client.rooms().stream()
                        .anyMatch(r -> new dev.protokit.chat.core.Conversation.Room(r.name()).key().equals(conversationKey));
            }
            return new dev.protokit.chat.core.Conversation.Direct(account, sender).key().equals(conversationKey)
                    || sender.equals(account);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NativeAttachments.class);

    private final Path directory;
    private final long maxBytes;
    private final AttachmentUsage usage;
    private final SecureRandom random = new SecureRandom();

    NativeAttachments(Path stateDir, long maxBytes, AttachmentUsage usage) {
        this.directory = stateDir.resolve("attachments");
        this.maxBytes = maxBytes;
        this.usage = Objects.requireNonNull(usage, "usage");
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The largest attachment accepted, in bytes (0: attachments are off). */
    long maxBytes() {
        return maxBytes;
    }

    /**
     * Reads exactly {@code size} bytes of {@code body} into a new attachment and returns it.
     *
     * @throws ChatWireException TOO_LARGE beyond the limit (nothing is read), UNAVAILABLE if the disk fails
     * @throws IOException       if the connection fails or ends before the last byte
     */
    Entry receive(String sender, String conversationKey, String name, String mediaType, long size, InputStream body,
                  Instant now) throws IOException {
        if (size > maxBytes) {
            throw new ChatWireException(ErrorCode.TOO_LARGE, "attach: size 0x" + Long.toHexString(size)
                    + " exceeds the server's limit 0x" + Long.toHexString(maxBytes));
        }
        if (!usage.reserve(sender, size)) {
            throw new ChatWireException(ErrorCode.TOO_LARGE, "attach: size 0x" + Long.toHexString(size)
                    + " would pass the account's quota 0x" + Long.toHexString(usage.quota()) + " (0x"
                    + Long.toHexString(usage.used(sender)) + " stored; attachments expire with the history)");
        }
        String id = newId();
        Path part = directory.resolve(id + ".part");
        try {
            try (FileChannel file = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(file)) {
                long copied = body.transferTo(out);
                if (copied != size) {
                    throw new IOException("attachment ended after " + copied + " of " + size + " bytes");
                }
                file.force(true);
            }
            Entry entry = new Entry(new AttachmentInfo(id, name, mediaType, size), sender, conversationKey, now);
            writeMetadata(entry);
            Files.move(part, directory.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            return entry;
        } catch (IOException | RuntimeException e) {
            // Nothing half-received stays behind, whether the disk or the connection failed.
            usage.release(sender, size);
            Files.deleteIfExists(part);
            Files.deleteIfExists(directory.resolve(id + ".properties"));
            if (e instanceof java.nio.file.FileSystemException) {
                throw new ChatWireException(ErrorCode.UNAVAILABLE, "attach: cannot store the file", e);
            }
            throw e;
        }
    }

    /** The attachment with {@code id}, if it exists and was completely received. */
    Optional<Entry> find(String id) {
        if (!ID.matcher(id).matches() || !Files.exists(directory.resolve(id))) {
            return Optional.empty();
        }
        try {
            return Optional.of(metadata(id));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new ChatWireException(ErrorCode.UNAVAILABLE, "get: attachment metadata unreadable", e);
        }
    }

    private Entry metadata(String id) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(directory.resolve(id + ".properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new Entry(new AttachmentInfo(id, p.getProperty("name"), p.getProperty("media_type"),
                Long.parseLong(p.getProperty("size"))), p.getProperty("sender"), p.getProperty("conversation"),
                Instant.parse(p.getProperty("time")));
    }

    /**
     * Start-up: removes what a crash left half written (an {@code ID.part}, metadata without
     * its file, a file without metadata) and counts what every account has stored into
     * {@code usage}. Returns the number of files removed.
     */
    int recover() throws IOException {
        int removed = 0;
        List<Path> files = list();
        Set<String> names = files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet());
        for (Path file : files) {
            String name = file.getFileName().toString();
            String id = name.endsWith(".properties") ? name.substring(0, name.length() - ".properties".length()) : name;
            boolean complete = ID.matcher(id).matches() && names.contains(id) && names.contains(id + ".properties");
            if (!complete) {
                removed += Files.deleteIfExists(file) ? 1 : 0;
            } else if (name.endsWith(".properties")) {
                try {
                    Entry entry = metadata(id);
                    usage.count(entry.sender(), entry.info().size());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("attachment {}: metadata unreadable ({}), kept but not counted", id, e.toString());
                }
            }
        }
        return removed;
    }

    /**
     * Deletes the attachments received before {@code cutoff} (the history that offered them is
     * purged with the same cutoff) and gives their bytes back to the senders' quotas. Returns
     * how many were deleted.
     */
    int purgeBefore(Instant cutoff) throws IOException {
        int purged = 0;
        for (Path file : list()) {
            String name = file.getFileName().toString();
            if (!name.endsWith(".properties")) {
                continue;
            }
            String id = name.substring(0, name.length() - ".properties".length());
            Entry entry;
            try {
                entry = metadata(id);
            } catch (NoSuchFileException e) {
                continue; // removed meanwhile
            } catch (IOException | RuntimeException e) {
                continue; // unreadable: recover() reports it at the next start
            }
            if (entry.time().isBefore(cutoff) && Files.exists(directory.resolve(id))) {
                Files.deleteIfExists(directory.resolve(id)); // first the bytes: no longer offered
                Files.deleteIfExists(file);
                usage.release(entry.sender(), entry.info().size());
                purged++;
            }
        }
        return purged;
    }

    private List<Path> list() throws IOException {
        try (var files = Files.list(directory)) {
            return files.toList();
        }
    }

    /** Opens the bytes of a found attachment. */
    InputStream open(Entry entry) throws IOException {
        return Files.newInputStream(directory.resolve(entry.info().id()));
    }

    /** The text of the message that offers {@code entry}: {@code shared a file: a.txt (5 B) [attachment ID]}. */
    static String offerText(AttachmentInfo info) {
        return "shared a file: " + info.name() + " (" + humanSize(info.size()) + ") [attachment " + info.id() + "]";
    }

    /** The attachment id a message text offers, if it ends like {@link #offerText}. */
    static Optional<String> offeredId(String text) {
        Matcher m = OFFER.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String units = "KMGTPE";
        int unit = Math.min(units.length(), (63 - Long.numberOfLeadingZeros(bytes)) / 10);
        return String.format("%.1f %siB", bytes / Math.pow(1024, unit), units.charAt(unit - 1));
    }

    private void writeMetadata(Entry entry) throws IOException {
        Properties p = new Properties();
        p.setProperty("name", entry.info().name());
        p.setProperty("media_type", entry.info().mediaType());
        p.setProperty("size", Long.toString(entry.info().size()));
        p.setProperty("sender", entry.sender());
        p.setProperty("conversation", entry.conversationKey());
        p.setProperty("time", entry.time().toString());
        Path file = directory.resolve(entry.info().id() + ".properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
            p.store(out, null);
        }
    }

    private String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "NativeAttachments[" + Objects.toString(directory) + "]";
    }
}
