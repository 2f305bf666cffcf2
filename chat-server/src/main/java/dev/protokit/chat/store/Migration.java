package dev.protokit.chat.store;

import java.util.List;
import java.util.Objects;

/**
 * One schema step of one module: the core's tables are module {@code core}; another part of the
 * server (the mail outbox) brings its own module name and numbers its steps from 1. A step runs
 * once, in a transaction, and is recorded in {@code schema_migrations}; steps never change once
 * released (add a new one instead).
 */
public record Migration(String module, int version, List<String> statements) {
    public Migration {
        Objects.requireNonNull(module, "module");
        if (!module.matches("[a-z][a-z0-9_]{0,31}") || version < 1) {
            throw new IllegalArgumentException("migration module must be [a-z][a-z0-9_]* and version >= 1");
        }
        statements = List.copyOf(statements);
    }

    /** A step of {@code module} made of {@code statements}. */
    public static Migration of(String module, int version, String... statements) {
        return new Migration(module, version, List.of(statements));
    }
}
