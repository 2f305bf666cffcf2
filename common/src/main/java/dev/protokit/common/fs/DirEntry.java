package dev.protokit.common.fs;

import java.util.Objects;

/**
 * One entry of a directory listed through {@link ConfinedRoot#list}: its name (one component,
 * valid UTF-8) and what {@code lstat} says about it: a symbolic link is described as a link, and
 * whoever wants its target asks {@link ConfinedRoot#stat}, which follows it only beneath the root.
 *
 * @param name the entry's name
 * @param stat the entry itself, not followed
 */
public record DirEntry(String name, FileStat stat) {
    public DirEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stat, "stat");
    }
}
