package dev.protokit.rendezvous.peer;

import dev.protokit.common.daemon.Addresses;
import dev.protokit.rendezvous.stun.ChannelData;
import dev.protokit.rendezvous.stun.IntegrityKey;
import dev.protokit.rendezvous.stun.PasswordAlgorithm;
import dev.protokit.rendezvous.stun.Seal;
import dev.protokit.rendezvous.stun.StunAttribute;
import dev.protokit.rendezvous.stun.StunClass;
import dev.protokit.rendezvous.stun.StunCodec;
import dev.protokit.rendezvous.stun.StunException;
import dev.protokit.rendezvous.stun.StunMessage;
import dev.protokit.rendezvous.stun.StunMethod;
import dev.protokit.rendezvous.stun.TransactionId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The peer's TURN client (RFC 8656 over UDP) on the peer's one socket: Allocate with long-term
 * credentials (the first request is answered 401 with REALM and NONCE, RFC 8489 section
 * 9.2.3; a 438 stale nonce is retried with the new one), CreatePermission for the other peer's
 * addresses, Refresh before the allocation and the permissions expire, and Data indications
 * unwrapped and handed to the socket's dispatcher as if the other peer had sent them from its
 * relayed address (so replies go there too). The other peer sends straight to our relayed
 * address; we send straight to its one: each direction crosses one relay, and every NAT on
 * the way sees an outgoing flow first. The first Data indication names the other peer's
 * transport address as our relay sees it (behind a symmetric NAT, a port nobody could
 * predict); the client then binds a channel to it (ChannelBind, RFC 8656 section 12), so the
 * relay frames what follows as ChannelData, a 4-byte header instead of a 36-byte indication.
 * A {@link TurnRenewal} keeps the allocation, the permissions and the binding alive for as long
 * as the connection runs.
 */
final class TurnClient implements AutoCloseable {
    private static final Duration RETRY = Duration.ofMillis(400);
    private static final Duration MAX_RETRY = Duration.ofMillis(1600);
    /** Sends of one request: 0.4 + 0.8 + 1.6 * 4 = 7.6 s before giving up, so a lossy path still gets through. */
    private static final int TRIES = 6;
    /** Our one channel (RFC 8656 section 12: 0x4000-0x4fff). */
    static final int CHANNEL = ChannelData.MIN_CHANNEL;

    private final PeerSocket socket;
    private final InetSocketAddress server;
    private final String username;
    private final String password;
    private final Map<TransactionId, CompletableFuture<StunMessage>> pending = new ConcurrentHashMap<>();
    private final List<InetAddress> permitted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final TurnRenewal.Schedule schedule;
    private volatile InetSocketAddress presentAs;
    private volatile String realm;
    private volatile String nonce;
    private volatile IntegrityKey key;
    private volatile InetSocketAddress channelPeer;
    private volatile boolean channelBound;
    private final java.util.concurrent.atomic.AtomicLong channelFrames = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicBoolean binding = new java.util.concurrent.atomic.AtomicBoolean();
    private final Halt renewing = new Halt();
    private Thread refresher;

    TurnClient(PeerSocket socket, InetSocketAddress server, String username, String password) {
        this(socket, server, username, password, TurnRenewal.Schedule.RFC_8656);
    }

    /** A client renewing on {@code schedule} (tests shorten it). */
    TurnClient(PeerSocket socket, InetSocketAddress server, String username, String password,
               TurnRenewal.Schedule schedule) {
        this.schedule = schedule;
        this.socket = socket;
        this.server = server;
        this.username = username;
        this.password = password;
    }

    InetSocketAddress server() {
        return server;
    }

    /** Data from the relay is dispatched as coming from {@code address} (the other peer's relayed address). */
    void presentAs(InetSocketAddress address) {
        this.presentAs = address;
    }

    /** Called by the socket's reader for a STUN datagram from the TURN server. */
    void onStun(ByteBuffer datagram) {
        StunMessage m;
        try {
            m = StunCodec.decode(datagram.duplicate());
        } catch (StunException e) {
            return;
        }
        if (m.method() == StunMethod.DATA && m.messageClass() == StunClass.INDICATION) {
            Optional<StunAttribute.Data> data = m.attribute(StunAttribute.Data.class);
            Optional<StunAttribute.XorPeerAddress> peer = m.attribute(StunAttribute.XorPeerAddress.class);
            InetSocketAddress as = presentAs;
            if (data.isPresent() && peer.isPresent() && as != null && data.get().value().length() > 0) {
                socket.dispatch(as, data.get().value().buffer());
                bindChannel(peer.get().address());
            }
            return;
        }
        CompletableFuture<StunMessage> waiting = pending.remove(m.transactionId());
        if (waiting != null) {
            waiting.complete(m);
        }
    }

    /**
     * Called by the socket's reader for ChannelData from the TURN server. Frames on our channel
     * are taken from the moment the ChannelBind request leaves, not from its answer: the relay
     * frames data as soon as it has bound the channel, before its answer reaches us, and if the
     * answer is lost for good (our request then fails) the relay still sends ChannelData only.
     * Dropping those frames silenced the other peer for the rest of the session.
     */
    void onChannelData(ByteBuffer datagram) {
        ChannelData frame;
        try {
            frame = ChannelData.decode(datagram.duplicate());
        } catch (StunException e) {
            return;
        }
        InetSocketAddress as = presentAs;
        if (frame.channel() == CHANNEL && channelPeer != null && as != null && frame.data().hasRemaining()) {
            channelFrames.incrementAndGet();
            socket.dispatch(as, frame.data());
        }
    }

    /** ChannelData frames received on our channel. */
    long channelFrames() {
        return channelFrames.get();
    }

    /** Whether the relay now frames the other peer's datagrams as ChannelData. */
    boolean channelBound() {
        return channelBound;
    }

    /** Binds {@link #CHANNEL} to {@code peer} once, off the reader thread (the request waits for its answer). */
    private void bindChannel(InetSocketAddress peer) {
        if (!binding.compareAndSet(false, true)) {
            return;
        }
        channelPeer = peer;
        Thread.ofVirtual().name("rdv-turn-channel").start(() -> {
            try {
                rebindChannel();
            } catch (IOException e) {
                // Data indications keep working if the relay did not bind the channel, and
                // onChannelData takes its frames if it did and only the answer was lost; the
                // renewal binds it again either way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Binds (again) {@link #CHANNEL} to the other peer's address once a Data indication named
     * it: RFC 8656 section 12 lets a binding be refreshed by the same request; false before that.
     */
    boolean rebindChannel() throws IOException, InterruptedException {
        InetSocketAddress peer = channelPeer;
        if (peer == null) {
            return false;
        }
        request(StunMethod.CHANNEL_BIND, List.of(new StunAttribute.ChannelNumber(CHANNEL),
                new StunAttribute.XorPeerAddress(peer)));
        channelBound = true;
        return true;
    }

    /** Asks the relay to keep the allocation for {@code lifetime}; returns the lifetime granted. */
    Duration refreshAllocation(Duration lifetime) throws IOException, InterruptedException {
        StunMessage ok = request(StunMethod.REFRESH, List.of(new StunAttribute.Lifetime(lifetime.toSeconds())));
        return ok.attribute(StunAttribute.Lifetime.class).map(l -> Duration.ofSeconds(l.seconds())).orElse(lifetime);
    }

    /** Installs the permissions again (they last 5 minutes, RFC 8656 section 9). */
    void refreshPermissions() throws IOException, InterruptedException {
        permit(List.of());
    }

    /**
     * Allocates a relayed UDP address and starts refreshing it.
     *
     * @throws IOException naming the server when it does not answer or refuses
     */
    InetSocketAddress allocate() throws IOException, InterruptedException {
        StunMessage ok = request(StunMethod.ALLOCATE, List.of(new StunAttribute.RequestedTransport(
                StunAttribute.RequestedTransport.UDP)));
        InetSocketAddress relayed = ok.attribute(StunAttribute.XorRelayedAddress.class)
                .map(StunAttribute.XorRelayedAddress::address)
                .orElseThrow(() -> new IOException("TURN server " + Addresses.format(server)
                        + " allocated without XOR-RELAYED-ADDRESS"));
        long lifetime = ok.attribute(StunAttribute.Lifetime.class).map(StunAttribute.Lifetime::seconds).orElse(600L);
        refresher = Thread.ofVirtual().name("rdv-turn-refresh")
                .start(new TurnRenewal(this, schedule, Duration.ofSeconds(lifetime), renewing));
        return relayed;
    }

    /** Installs permissions (RFC 8656 section 9) for these peer addresses; the port does not matter. */
    void permit(Collection<InetAddress> addresses) throws IOException, InterruptedException {
        List<StunAttribute> peers = new ArrayList<>();
        for (InetAddress ip : addresses) {
            if (ip.getClass().equals(server.getAddress().getClass()) && !permitted.contains(ip)) {
                permitted.add(ip);
            }
        }
        for (InetAddress ip : permitted) {
            peers.add(new StunAttribute.XorPeerAddress(new InetSocketAddress(ip, 9)));
        }
        if (!peers.isEmpty()) {
            request(StunMethod.CREATE_PERMISSION, peers);
        }
    }

    /** One authenticated request, with the 401/438 dance and retransmissions. */
    private StunMessage request(StunMethod method, List<StunAttribute> attributes) throws IOException, InterruptedException {
        for (int round = 0; round < 3; round++) {
            StunMessage answer = transact(method, attributes);
            if (answer.messageClass() == StunClass.SUCCESS_RESPONSE) {
                return answer;
            }
            int code = answer.attribute(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
            Optional<String> newNonce = answer.attribute(StunAttribute.Nonce.class).map(StunAttribute.Nonce::text);
            Optional<String> newRealm = answer.attribute(StunAttribute.Realm.class).map(StunAttribute.Realm::text);
            if ((code == 401 || code == 438) && newNonce.isPresent() && (newRealm.isPresent() || realm != null)) {
                nonce = newNonce.get();
                if (newRealm.isPresent() && !newRealm.get().equals(realm)) {
                    realm = newRealm.get();
                    key = IntegrityKey.longTerm(username, realm, password, PasswordAlgorithm.MD5);
                }
                continue;
            }
            throw new Refused(code, "TURN server " + Addresses.format(server) + " refused " + method + ": " + code + " "
                    + answer.attribute(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::reason).orElse(""));
        }
        throw new IOException("TURN server " + Addresses.format(server) + " keeps refusing our credentials");
    }

    private StunMessage transact(StunMethod method, List<StunAttribute> attributes) throws IOException, InterruptedException {
        TransactionId id = TransactionId.random();
        List<StunAttribute> all = new ArrayList<>(attributes);
        Seal seal = Seal.FINGERPRINT;
        if (key != null) {
            all.add(new StunAttribute.Username(username));
            all.add(new StunAttribute.Realm(realm));
            all.add(new StunAttribute.Nonce(nonce));
            seal = Seal.integrity(key, true, false, true);
        }
        ByteBuffer bytes = StunCodec.encode(new StunMessage(method, StunClass.REQUEST, id, all), seal);
        CompletableFuture<StunMessage> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            long wait = RETRY.toMillis();
            for (int i = 0; i < TRIES; i++, wait = Math.min(wait * 2, MAX_RETRY.toMillis())) {
                socket.send(bytes, server);
                try {
                    return answer.get(wait, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // retransmit (RFC 8489 6.2.1)
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException(e.getCause());
                }
            }
            throw new IOException("TURN server " + Addresses.format(server) + " does not answer " + method);
        } finally {
            pending.remove(id);
        }
    }

    /** Releases the allocation (a Refresh with lifetime 0) and stops refreshing. */
    @Override
    public void close() {
        if (refresher != null) {
            renewing.halt(); // never an interrupt: the renewal may be sending on the shared socket
            try {
                transact(StunMethod.REFRESH, List.of(new StunAttribute.Lifetime(0)));
            } catch (IOException | InterruptedException e) {
                // best effort: the allocation expires anyway
            }
        }
        if (key != null) {
            key.wipe();
        }
    }

    /** The relay answered a request with an error response (other than the 401/438 dance). */
    static final class Refused extends IOException {
        private final int code;

        Refused(int code, String message) {
            super(message);
            this.code = code;
        }

        /** The ERROR-CODE (RFC 8489 section 14.8), 0 when the answer had none. */
        int code() {
            return code;
        }
    }
}
