package dev.protokit.ftp.server.users;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users a server accepts, read from a {@link UsersFile} and checked against Argon2id hashes.
 *
 * <p>Every {@link #authenticate} first looks at the file's modification time, size and inode; if
 * any changed, the file is read again, so {@code ftp-lite-server user add} takes effect at the next
 * login without a restart. A reload that fails (bad line, unsafe mode) keeps the previous users
 * and logs a warning; {@link #reload()} does the same on demand but throws, for an operator.
 *
 * <p>Thread-safe: the users are an immutable snapshot swapped atomically; a lock only keeps two
 * logins from re-reading the file at the same time.
 */
public final class UserDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(UserDirectory.class);

    /** Identity of the file version a snapshot came from. */
    private record Stamp(FileTime modified, long size, Object key) {}

    private record Snapshot(Map<String, UserEntry> users, Optional<Stamp> stamp) {}

    private final Optional<Path> file;
    private final AtomicReference<Snapshot> snapshot;
    private final ReentrantLock reloading = new ReentrantLock();

    private UserDirectory(Optional<Path> file, Snapshot initial) {
        this.file = file;
        this.snapshot = new AtomicReference<>(initial);
    }

    /** Loads {@code file}; throws {@link UsersFileException} if it is missing, unsafe or malformed. */
    public static UserDirectory load(Path file) {
        Objects.requireNonNull(file, "file");
        return new UserDirectory(Optional.of(file), read(file));
    }

    /** A fixed, in-memory directory (no file, never reloads), for tests and embedding. */
    public static UserDirectory of(List<UserEntry> entries) {
        return new UserDirectory(Optional.empty(), new Snapshot(index(entries), Optional.empty()));
    }

    /**
     * Checks {@code password} for user {@code name} and wipes {@code password} before returning.
     * Takes about as long for an unknown user as for a wrong password (one Argon2id run either
     * way), so timing does not reveal which names exist.
     */
    public Optional<FtpUser> authenticate(String name, char[] password) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        try {
            reloadIfChanged();
            UserEntry entry = snapshot.get().users().get(name);
            if (entry == null) {
                Argon2id.verify(password, DummyHash.VALUE);
                return Optional.empty();
            }
            return Argon2id.verify(password, entry.hash()) ? Optional.of(entry.user()) : Optional.empty();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** The user called {@code name}, without checking a password (e.g. to list or to audit). */
    public Optional<FtpUser> find(String name) {
        return Optional.ofNullable(snapshot.get().users().get(name)).map(UserEntry::user);
    }

    /** The loaded users, sorted by name. */
    public List<FtpUser> users() {
        return snapshot.get().users().values().stream().map(UserEntry::user)
                .sorted(java.util.Comparator.comparing(FtpUser::name)).toList();
    }

    /** How many users are loaded. */
    public int size() {
        return snapshot.get().users().size();
    }

    /** Reads the file again now; throws {@link UsersFileException} and keeps the old users if it is bad. */
    public void reload() {
        if (file.isEmpty()) {
            return;
        }
        reloading.lock();
        try {
            snapshot.set(read(file.get()));
        } finally {
            reloading.unlock();
        }
    }

    private void reloadIfChanged() {
        if (file.isEmpty()) {
            return;
        }
        Optional<Stamp> current = stamp(file.get());
        if (current.equals(snapshot.get().stamp()) || !reloading.tryLock()) {
            return; // unchanged, or another login is already re-reading it
        }
        try {
            if (!current.equals(snapshot.get().stamp())) {
                Snapshot fresh = read(file.get());
                snapshot.set(fresh);
                LOG.info("reloaded users file {}: {} users", file.get(), fresh.users().size());
            }
        } catch (UsersFileException e) {
            LOG.warn("keeping the previous users: {}", e.getMessage());
            Snapshot old = snapshot.get();
            snapshot.set(new Snapshot(old.users(), current)); // do not retry a bad file on every login
        } finally {
            reloading.unlock();
        }
    }

    private static Snapshot read(Path file) {
        // Stamp before reading: a write racing the read leaves a stale stamp, so the next login re-reads.
        Optional<Stamp> stamp = stamp(file);
        return new Snapshot(index(UsersFile.load(file).entries()), stamp);
    }

    private static Optional<Stamp> stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new Stamp(a.lastModifiedTime(), a.size(), a.fileKey() == null ? "" : a.fileKey()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Map<String, UserEntry> index(List<UserEntry> entries) {
        return entries.stream().collect(Collectors.toUnmodifiableMap(UserEntry::name, Function.identity()));
    }

    /** A hash of a random password, made once, to burn the same time for unknown users. */
    private static final class DummyHash {
        static final PhcHash VALUE = dummy();

        private static PhcHash dummy() {
            char[] random = java.util.UUID.randomUUID().toString().toCharArray();
            try {
                return Argon2id.hash(random);
            } finally {
                Arrays.fill(random, '\0');
            }
        }
    }
}
