package dev.protokit.chat.server;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.common.daemon.FailureThrottle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Failed logins (IRC SASL and PASS, OPER, the native handshake) are delayed and then locked out,
 * per peer address (IPv6 per /64) and per account name, with common's {@link FailureThrottle}:
 * one guard per server, shared by every listener.
 */
public final class LoginGuard {
    private final FailureThrottle<String> addresses;
    private final FailureThrottle<String> accounts;

    /** A guard with {@code policy} for both keys. */
    public LoginGuard(FailureThrottle.Policy policy) {
        this.addresses = new FailureThrottle<>(policy);
        this.accounts = new FailureThrottle<>(policy);
    }

    /** Whether the address or the account is locked out now (refuse without checking credentials). */
    public boolean isLockedOut(InetAddress peer, String account) {
        return addresses.isLockedOut(key(peer)) || accounts.isLockedOut(account.toLowerCase(Locale.ROOT));
    }

    /** Records a failure; returns how long to wait before answering it. */
    public Duration failed(InetAddress peer, String account) {
        Duration a = addresses.recordFailure(key(peer));
        Duration b = accounts.recordFailure(account.toLowerCase(Locale.ROOT));
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Clears both keys after a success. */
    public void succeeded(InetAddress peer, String account) {
        addresses.recordSuccess(key(peer));
        accounts.recordSuccess(account.toLowerCase(Locale.ROOT));
    }

    private static String key(InetAddress peer) {
        return Addresses.limitKey(peer).toString();
    }
}
