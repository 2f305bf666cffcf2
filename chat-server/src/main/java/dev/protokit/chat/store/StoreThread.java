package dev.protokit.chat.store;

import dev.protokit.chat.core.ChatError;
import dev.protokit.chat.core.ChatException;
import java.sql.SQLException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The one platform thread that touches the database. SQLite's driver blocks in native code,
 * which on a virtual thread would hold a carrier thread (two of them stop a 2-core server); so
 * callers (virtual threads) hand work here and park on a future, which releases their carrier.
 * One thread also means one connection and no lock between statements.
 */
final class StoreThread implements AutoCloseable {
    /** Work done on the store thread with the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chat-store").daemon(true).factory());

    /** Runs {@code work} on the store thread and waits for it; failures become STORE_FAILURE. */
    <T> T call(String what, Work<T> work) {
        Future<T> f;
        try {
            f = executor.submit(work::run);
        } catch (RejectedExecutionException e) {
            throw new ChatException(ChatError.STORE_FAILURE, what + ": store closed", e);
        }
        return await(what, f);
    }

    /** Queues {@code task} without waiting (group commit flushes). */
    void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            throw new ChatException(ChatError.STORE_FAILURE, "store closed", e);
        }
    }

    static <T> T await(String what, Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChatException(ChatError.STORE_FAILURE, what + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ChatException ce) {
                throw ce;
            }
            throw new ChatException(ChatError.STORE_FAILURE, what + ": " + cause, cause);
        }
    }

    /** Runs what is queued, then stops the thread (waits up to 10 s). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
