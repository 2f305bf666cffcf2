package dev.protokit.common.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The base of a daemon's account subcommand ({@code ftp-lite-server user},
 * {@code chat-server account}): run without a subcommand it prints its usage and returns 2; its
 * subcommands take new passwords through {@link #newPassword}, from a no-echo prompt asked twice
 * or one line of standard input ({@code --password-stdin}), never from the command line.
 */
public abstract class AccountTool implements Callable<Integer> {
    private final InputStream stdin;

    /** Injected by picocli: the subcommand's own spec (its output streams, its root's name). */
    @Spec
    protected CommandSpec spec;

    /** A tool reading {@code --password-stdin} from {@link System#in}. */
    protected AccountTool() {
        this(System.in);
    }

    /** A tool reading {@code --password-stdin} from {@code stdin} (tests). */
    protected AccountTool(InputStream stdin) {
        this.stdin = Objects.requireNonNull(stdin, "stdin");
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return DaemonLauncher.USAGE;
    }

    /** What a new password is turned into (a hash, a verifier) while it is still in memory. */
    @FunctionalInterface
    protected interface Derive<T> {
        /** {@code password} is wiped when this returns. */
        T from(char[] password);
    }

    /**
     * Reads a new password ({@code fromStdin}: one line of standard input; otherwise the prompt),
     * refuses an empty one, hands it to {@code derive} and wipes it.
     */
    protected final <T> T newPassword(boolean fromStdin, Derive<T> derive) throws IOException {
        char[] password = fromStdin ? PasswordInput.readLine(stdin) : PasswordInput.promptTwice();
        try {
            if (password.length == 0) {
                throw new IllegalArgumentException("empty password refused");
            }
            return derive.from(password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** One subcommand's work. */
    @FunctionalInterface
    protected interface Action {
        void run() throws IOException;
    }

    /**
     * Runs {@code action}: 0 when done; an expected failure (an {@link IOException}, an
     * {@link IllegalArgumentException}, or what {@link #reason} explains) is one line on standard
     * error, {@code PROGRAM TOOL: reason}, and status 1. Anything else is a bug and propagates.
     */
    protected final int guarded(Action action) {
        try {
            action.run();
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            return failed(e.getMessage());
        } catch (RuntimeException e) {
            return failed(reason(e).orElseThrow(() -> e));
        }
    }

    /** The one-line reason of a module's own expected failure (a store or file-format error); empty for a bug. */
    protected Optional<String> reason(RuntimeException e) {
        return Optional.empty();
    }

    private int failed(String reason) {
        spec.commandLine().getErr().println(spec.root().name() + " " + spec.name() + ": " + reason);
        return 1;
    }
}
