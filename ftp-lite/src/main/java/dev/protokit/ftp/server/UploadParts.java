package dev.protokit.ftp.server;

import dev.protokit.common.fs.ConfinedRoot;
import dev.protokit.common.fs.DirEntry;
import dev.protokit.common.fs.StaleFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden files uploads are written to, and what is left of them after an interruption.
 *
 * <pre>
 * .ftp-lite-upload-r&lt;32 hex&gt;.part   one per (user, target): an interrupted upload kept for REST+STOR / APPE
 * .ftp-lite-upload-&lt;16 hex&gt;.part    a one-off (the resumable name was busy): deleted when the upload ends
 * .ftp-lite-upload-&lt;16 hex&gt;.old     second link of a replaced large file, unlinked after the commit
 * </pre>
 *
 * All start with {@link VirtualFileSystem#TEMP_PREFIX}, so no client can list, open or name
 * them. A resumable part is named after a hash of the user and the target's name, so only the
 * user whose upload was cut finds it again, and it is published by one rename(2) when complete.
 * {@link #sweep} deletes what a crash or a kill left: one-offs at start-up, any part older than the
 * configured age. Thread-safe: a part is claimed by one upload at a time.
 */
final class UploadParts {
    private static final Logger LOG = LoggerFactory.getLogger(UploadParts.class);
    private static final String RESUMABLE = VirtualFileSystem.TEMP_PREFIX + "r";

    private final Set<Path> claimed = ConcurrentHashMap.newKeySet();

    /** The name of {@code user}'s resumable part for a target called {@code name}, in the target's directory. */
    static String partName(String user, String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(user.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            return RESUMABLE + HexFormat.of().formatHex(sha.digest(), 0, 16) + ".part";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The resumable part of {@code user}'s upload to {@code target} (home-relative, see {@link VirtualFileSystem#resolve}). */
    static String partFor(String target, String user) {
        int slash = target.lastIndexOf('/');
        return target.substring(0, slash + 1) + partName(user, target.substring(slash + 1));
    }

    /** A one-off temporary name, for when the resumable part is busy. */
    static String oneOffName() {
        return VirtualFileSystem.TEMP_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + ".part";
    }

    /** Claims {@code part} (a home-relative path under {@code home}) for one upload; false if another upload holds it. */
    boolean claim(Path home, String part) {
        return claimed.add(home.resolve(part));
    }

    void release(Path home, String part) {
        claimed.remove(home.resolve(part));
    }

    /** The size of {@code user}'s pending part for {@code target}, if an interrupted upload left one. */
    static OptionalLong pending(VirtualFileSystem fs, String target, String user) {
        return fs.lstat(partFor(target, user)).filter(f -> f.isRegularFile()).map(f -> OptionalLong.of(f.size()))
                .orElse(OptionalLong.empty());
    }

    /**
     * Deletes leftovers under {@code dir}: parts older than {@code maxAge}, and at start-up
     * ({@code startup}) every one-off temporary too, whose upload cannot be running. Claimed
     * parts are never touched. Returns how many files were deleted.
     */
    int sweep(Path dir, Duration maxAge, boolean startup) {
        Instant oldest = Instant.now().minus(maxAge);
        int deleted = StaleFiles.sweep(dir, (root, path, entry) -> stale(root, path, entry, oldest, startup), LOG);
        if (deleted > 0) {
            LOG.info("removed {} stale upload part(s) under {}", deleted, dir);
        }
        return deleted;
    }

    /** One of our hidden files, unclaimed, and old enough (or a one-off at start-up). */
    private boolean stale(ConfinedRoot root, String path, DirEntry entry, Instant oldest, boolean startup) {
        String name = entry.name();
        if (!VirtualFileSystem.isHidden(name)) {
            return false;
        }
        try {
            if (claimed.contains(root.path().resolve(path))) {
                return false;
            }
        } catch (InvalidPathException e) {
            return false; // a name the JVM cannot map cannot have been claimed either: left alone
        }
        boolean resumable = name.startsWith(RESUMABLE) && name.endsWith(".part");
        return entry.stat().modified().isBefore(oldest) || (startup && !resumable);
    }
}
