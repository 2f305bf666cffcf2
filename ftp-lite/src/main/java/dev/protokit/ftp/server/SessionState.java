package dev.protokit.ftp.server;

import dev.protokit.ftp.wire.ListingFormat;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;

/**
 * The mutable state of one control session (RFC 959 section 5.1's "state" that commands build
 * on: user, current directory, TYPE, REST, RNFR, PROT, data-connection setup). Confined to the
 * session thread; transfers get immutable copies of what they need.
 */
final class SessionState {

    /** A logged-in user as the session sees it. */
    record Account(String name, boolean anonymous, boolean canWrite, OptionalLong rate) {}

    final InetSocketAddress peer;
    final InetAddress local;
    Optional<String> pendingUser = Optional.empty();
    Optional<Account> account = Optional.empty();
    Optional<VirtualFileSystem> fs = Optional.empty();
    int failedLogins;
    boolean ascii = true;
    long restOffset;
    /** RNFR's path, relative to the home (see {@link VirtualFileSystem#resolve}). */
    Optional<String> renameFrom = Optional.empty();
    boolean pbszDone;
    boolean protectData;
    boolean epsvAll;
    Set<ListingFormat.Fact> mlstFacts = EnumSet.allOf(ListingFormat.Fact.class);
    Optional<DataRoute> route = Optional.empty();

    SessionState(InetSocketAddress peer, InetAddress local) {
        this.peer = peer;
        this.local = local;
    }

    boolean loggedIn() {
        return account.isPresent();
    }

    Account account() {
        return account.orElseThrow();
    }

    VirtualFileSystem fs() {
        return fs.orElseThrow();
    }

    /** Replaces the data route, closing a passive listener that was never used. */
    void route(Optional<DataRoute> next) {
        route.ifPresent(DataRoute::close);
        route = next;
    }

    /** Hands the data route to a transfer, which now owns it. */
    Optional<DataRoute> takeRoute() {
        Optional<DataRoute> r = route;
        route = Optional.empty();
        return r;
    }
}
