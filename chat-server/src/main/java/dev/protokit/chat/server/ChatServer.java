package dev.protokit.chat.server;

import dev.protokit.chat.core.ChatCore;
import dev.protokit.chat.core.LocalFanout;
import dev.protokit.chat.core.OfflineNotifier;
import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.daemon.StartupException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat daemon: opens the store, builds the core on the in-process fan-out, and starts the
 * listeners (plain IRC, IRC over TLS, and those in {@link ChatServerConfig#listeners()}, such as
 * the native one). Tests start it in-process on port 0; {@link ChatServerMain} runs it until SIGTERM.
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
    private static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final ChatServerContext context;
    private final List<ChatListener> listeners = new ArrayList<>();
    private final ScheduledExecutorService housekeeping;
    private final OfflineNotifier notifier;
    /** Start-up recovery and retention of the attachment directory (no uploads go through it). */
    private final NativeAttachments housekeepingAttachments;
    private volatile boolean stopped;

    private ChatServer(ChatServerConfig config) {
        SqliteChatStore store = SqliteChatStore.open(config.database(), config.extraMigrations());
        ChatCore core;
        try {
            notifier = config.notifier().create(store);
            core = new ChatCore(config.chat(), store, fanout(config), notifier, Clock.systemUTC());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        var usage = new AttachmentUsage(config.attachmentQuota());
        this.housekeepingAttachments = new NativeAttachments(config.stateDir(), 0, usage);
        try {
            int removed = housekeepingAttachments.recover();
            if (removed > 0) {
                LOG.info("attachments: removed {} files a previous run left half written", removed);
            }
        } catch (IOException e) {
            store.close();
            throw new StartupException("cannot read " + config.stateDir().resolve("attachments") + ": " + e.getMessage(), e);
        }
        this.context = new ChatServerContext(core, store, config, new LoginGuard(config.loginPolicy()), usage);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("chat-housekeeping").daemon(true).factory());
        try {
            List<ChatListener.Factory> factories = new ArrayList<>();
            config.ircPort().ifPresent(p -> factories.add(ctx -> IrcListener.plain(ctx, p)));
            config.ircTlsPort().ifPresent(p -> factories.add(ctx -> IrcListener.tls(ctx, p)));
            factories.addAll(config.listeners());
            for (ChatListener.Factory f : factories) {
                listeners.add(f.start(context));
            }
        } catch (RuntimeException e) {
            shutdown(Duration.ZERO);
            throw e;
        }
        if (!config.chat().historyRetention().isZero()) {
            housekeeping.scheduleWithFixedDelay(this::purge, 0, PURGE_EVERY.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * The in-process fan-out: rooms' logs are announced to their IRC members once per
     * {@link FanoutWakeups} window, and each logged line counts its plain IRC rendering's
     * bytes against a member's send queue until the member has read it.
     */
    private static LocalFanout fanout(ChatServerConfig config) {
        IrcRenderer renderer = new IrcRenderer(config.chat().serverName());
        return new LocalFanout(FanoutWakeups.shared()::schedule, renderer::weigh);
    }

    /** Opens the store, binds every listener and starts serving; the "listening" lines are logged. */
    public static ChatServer start(ChatServerConfig config) {
        return new ChatServer(Objects.requireNonNull(config, "config"));
    }

    /** The core, for tests and extensions. */
    public ChatCore core() {
        return context.core();
    }

    /** The store, for tests and extensions. */
    public SqliteChatStore store() {
        return context.store();
    }

    /** The listener named {@code name} ("irc", "ircs", "native"), if running. */
    public Optional<ChatListener> listener(String name) {
        return listeners.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The plain IRC port. */
    public int ircPort() {
        return listener("irc").orElseThrow().port();
    }

    private void purge() {
        try {
            var cutoff = Clock.systemUTC().instant().minus(context.config().chat().historyRetention());
            int n = context.store().purgeBefore(cutoff);
            int files = housekeepingAttachments.purgeBefore(cutoff);
            if (n > 0 || files > 0) {
                LOG.info("history retention: purged {} messages and {} attachments", n, files);
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) { // a purge cut short by shutdown runs again at the next start
                LOG.warn("history purge failed: {}", e.toString());
            }
        }
    }

    /**
     * Tells every client the server is going away, stops the listeners (drained together within
     * {@code grace}), then flushes and closes the store.
     */
    public void shutdown(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        housekeeping.shutdownNow();
        List<Thread> stops = new ArrayList<>();
        for (ChatListener l : listeners) {
            stops.add(Thread.ofVirtual().name("chat-stop-" + l.name()).start(() -> l.shutdown(grace)));
        }
        for (Thread t : stops) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (notifier instanceof AutoCloseable closeable) {
            // The mail sender stops before the store it reads closes; its outbox stays for the next start.
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("stopping the notifier failed: {}", e.toString());
            }
        }
        context.store().close();
        LOG.info("chat-server stopped; history flushed");
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
