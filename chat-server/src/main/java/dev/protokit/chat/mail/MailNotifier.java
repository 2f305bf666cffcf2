package dev.protokit.chat.mail;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ChatMessage;
import dev.protokit.chat.core.Conversation;
import dev.protokit.chat.core.OfflineNotifier;
import dev.protokit.chat.store.SqliteChatStore;
import dev.protokit.common.retry.Backoff;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail side of offline notifications. {@link #offline} (called on the chat sender's thread)
 * only queues an item in the outbox table and returns; one platform thread, {@code chat-mail},
 * wakes every tick, builds one digest per due account and hands the batch to the SMTP server.
 * A digest leaves the outbox only once the server accepted it. When the server is unreachable
 * or refuses, the batch waits with {@link Backoff} and is retried; the failure is logged once,
 * and once more when mail flows again. Chat never waits for SMTP.
 */
public final class MailNotifier implements OfflineNotifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailNotifier.class);
    /** Most items one digest lists; the rest follow in the next. */
    static final int MAX_ITEMS = 50;

    private final MailSettings settings;
    private final SqliteChatStore store;
    private final MailOutbox outbox;
    private final SmtpTransport smtp;
    private final Backoff backoff;
    private final Clock clock;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final SplittableRandom random = new SplittableRandom();
    private volatile boolean stopping;
    private int failures;

    private MailNotifier(MailSettings settings, SqliteChatStore store, Backoff backoff, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.outbox = new MailOutbox(store);
        this.smtp = new SmtpTransport(settings);
        this.backoff = backoff;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("chat-mail").daemon(true).unstarted(this::run);
    }

    /** Starts the sender thread over {@code store}'s outbox; retries back off from 5 s to 10 min. */
    public static MailNotifier start(MailSettings settings, SqliteChatStore store) {
        return start(settings, store, new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(10)), Clock.systemUTC());
    }

    /** As above with another retry policy and clock (tests). */
    public static MailNotifier start(MailSettings settings, SqliteChatStore store, Backoff backoff, Clock clock) {
        var notifier = new MailNotifier(Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(backoff, "backoff"), Objects.requireNonNull(clock, "clock"));
        notifier.thread.start();
        LOG.info("mail notifications via {} from {}, digests every {}", notifier.smtp.describe(), settings.from(),
                settings.digestInterval());
        return notifier;
    }

    @Override
    public void offline(Account recipient, ChatMessage message, Reason reason) {
        if (recipient.email().isEmpty() || stopping) {
            return;
        }
        Optional<String> room = switch (message.conversation()) {
            case Conversation.Room r -> reason == Reason.MENTION ? Optional.of(r.name()) : Optional.empty();
            case Conversation.Direct d -> Optional.empty();
        };
        try {
            outbox.add(recipient.key(), message.fromAccount().orElse(message.fromNick()), room, message.time(),
                    message.text(), clock.instant());
        } catch (RuntimeException e) {
            // The message itself is stored and queued for the account; only the mail is lost.
            LOG.warn("mail: cannot queue a notification for {}: {}", recipient.name(), e.toString());
        }
    }

    /** Items waiting in the outbox (tests, metrics). */
    public int pending() {
        return outbox.pending();
    }

    /** Stops the sender thread; what is queued stays in the outbox for the next start. */
    @Override
    public void close() {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        settings.wipe();
    }

    private void run() {
        Duration tick = Duration.ofMillis(Math.clamp(settings.digestInterval().toMillis() / 4, 50, 5_000));
        while (!stopping) {
            Duration pause = tick;
            try {
                if (sendDue()) {
                    if (failures > 0) {
                        LOG.info("mail: {} accepts mail again after {} failed attempts; the outbox is flowing", smtp.describe(), failures);
                    }
                    failures = 0;
                }
            } catch (MessagingException | RuntimeException e) {
                if (failures == 0) {
                    LOG.warn("mail: cannot deliver through {}: {}; mail waits in the outbox and is retried with backoff",
                            smtp.describe(), e.toString());
                }
                pause = backoff.delay(Math.min(failures, 30), random);
                failures++;
            }
            sleep(pause);
        }
    }

    /** Sends every due digest in one SMTP session; true if there was something to send. */
    private boolean sendDue() throws MessagingException {
        Instant now = clock.instant();
        List<MailOutbox.Due> due = outbox.due(now, settings.digestInterval(), MAX_ITEMS);
        if (due.isEmpty()) {
            return false;
        }
        List<MailOutbox.Due> sending = new ArrayList<>();
        List<MimeMessage> mails = new ArrayList<>();
        for (MailOutbox.Due d : due) {
            Optional<Account> account = store.account(d.account());
            if (account.isEmpty() || account.get().email().isEmpty()) {
                outbox.discard(d); // the address was removed: stop means stop
                continue;
            }
            mails.add(DigestMail.compose(smtp.session(), settings, account.get().name(), account.get().email().get(),
                    d.items(), now));
            sending.add(d);
        }
        if (!mails.isEmpty()) {
            int[] sent = {0};
            try {
                smtp.send(mails, i -> {
                    outbox.sent(sending.get(i));
                    sent[0]++;
                });
            } finally {
                if (sent[0] > 0) {
                    LOG.info("mail: sent {} of {} digests", sent[0], mails.size());
                }
            }
        }
        return true;
    }

    private void sleep(Duration pause) {
        lock.lock();
        try {
            if (!stopping) {
                wake.await(pause.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }
}
