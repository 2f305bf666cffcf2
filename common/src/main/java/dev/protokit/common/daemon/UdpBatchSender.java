package dev.protokit.common.daemon;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Sends a run of datagrams to one peer in one {@code sendmmsg(2)} call, through the
 * foreign-function API: a window of TFTP blocks costs one system call instead of one
 * {@code sendto} each. Linux on x86-64 and AArch64 only (one {@code struct mmsghdr} layout);
 * {@link #open} is empty elsewhere, or when the JDK does not let us see the channel's
 * descriptor ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}), and callers send one
 * datagram at a time as before.
 *
 * <pre>
 *   struct mmsghdr (64 bytes)                 struct iovec (16)     sockaddr_in6 (28)
 *   +0  msg_name       -> sockaddr            +0 iov_base           +0 family  (host order)
 *   +8  msg_namelen    (28 or 16)             +8 iov_len            +2 port    (network order)
 *   +16 msg_iov        -> iovec                                     +4 flowinfo
 *   +24 msg_iovlen     (1)                                          +8 address (16 bytes;
 *   +32 msg_control    (NULL), +40 msg_controllen (0)                  IPv4 as ::ffff:a.b.c.d)
 *   +48 msg_flags, +56 msg_len (set by the kernel: bytes sent)      +24 scope id
 * </pre>
 *
 * <p>The call uses a duplicate of the channel's descriptor, owned here: a concurrent close of
 * the channel (a server cutting a transfer) can never make a reused descriptor number receive
 * our datagrams; the socket itself stays open until {@link #close()}. Every call is
 * {@code MSG_DONTWAIT}, so it never blocks (a virtual thread holds its carrier only for the
 * copy into the kernel); when the socket buffer is full it reports how many went, and the
 * caller sends the rest through the channel, which waits as the JDK does. Not thread-safe: one
 * sender per transfer, on its thread.
 */
public final class UdpBatchSender implements AutoCloseable {
    private static final int MSG_DONTWAIT = 0x40;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOL_SOCKET = 1;
    private static final int SO_DOMAIN = 39;
    private static final long MMSGHDR = 64;
    private static final long IOVEC = 16;
    private static final long SOCKADDR = 28;

    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Native NATIVE = Native.bind();

    private final int fd;
    private final int family;
    private final int capacity;
    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment name;
    private final MemorySegment state;
    private InetSocketAddress named;
    private boolean closed;

    private UdpBatchSender(int fd, int family, int capacity) {
        this.fd = fd;
        this.family = family;
        this.capacity = capacity;
        Arena arena = Arena.ofAuto(); // a few KiB per transfer, freed with the sender
        headers = arena.allocate(MMSGHDR * capacity, 8);
        iovecs = arena.allocate(IOVEC * capacity, 8);
        name = arena.allocate(SOCKADDR, 8);
        state = arena.allocate(CAPTURE);
        for (int i = 0; i < capacity; i++) {
            MemorySegment h = headers.asSlice(MMSGHDR * i, MMSGHDR);
            h.set(ADDRESS, 0, name);
            h.set(ADDRESS, 16, iovecs.asSlice(IOVEC * i, IOVEC));
            h.set(JAVA_LONG, 24, 1);
        }
    }

    /** Why batches are not available here, or empty when they are. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(NATIVE.reason());
    }

    /**
     * A sender of up to {@code capacity} datagrams a call on {@code channel}'s socket, or empty
     * where {@code sendmmsg} is not available (the caller then sends one datagram at a time).
     */
    public static Optional<UdpBatchSender> open(DatagramChannel channel, int capacity) {
        Objects.requireNonNull(channel, "channel");
        if (capacity < 1 || capacity > 1024) { // UIO_MAXIOV: the kernel's most per call
            throw new IllegalArgumentException("capacity must be 1..1024, got " + capacity);
        }
        if (NATIVE.reason() != null || !channel.isOpen()) {
            return Optional.empty();
        }
        try (Arena arena = Arena.ofConfined()) {
            int original = (int) NATIVE.fdVal().invoke(channel);
            MemorySegment errno = arena.allocate(CAPTURE);
            int fd = (int) NATIVE.dup().invokeExact(errno, original);
            if (fd < 0) {
                return Optional.empty();
            }
            MemorySegment value = arena.allocate(JAVA_INT);
            MemorySegment length = arena.allocateFrom(JAVA_INT, 4);
            int got = (int) NATIVE.getsockopt().invokeExact(errno, fd, SOL_SOCKET, SO_DOMAIN, value, length);
            int family = got == 0 ? value.get(JAVA_INT, 0) : -1;
            if (family != AF_INET && family != AF_INET6) {
                int ignored = (int) NATIVE.close().invokeExact(errno, fd);
                return Optional.empty();
            }
            return Optional.of(new UdpBatchSender(fd, family, capacity));
        } catch (Throwable e) {
            return Optional.empty();
        }
    }

    /** The most datagrams one {@link #send} takes. */
    public int capacity() {
        return capacity;
    }

    /**
     * Sends {@code datagrams[offset .. offset + count)}, each from its position to its limit (a
     * direct buffer), to {@code to}, in that order, in one system call. Positions are not moved.
     *
     * @return how many were sent, from the first: fewer than {@code count} (maybe 0) when the
     *         socket's send buffer filled up; the caller sends the rest another way
     * @throws IOException when the kernel refuses the datagrams (errno in the message)
     */
    public int send(ByteBuffer[] datagrams, int offset, int count, InetSocketAddress to) throws IOException {
        Objects.checkFromIndexSize(offset, count, datagrams.length);
        if (count > capacity) {
            throw new IllegalArgumentException(count + " datagrams, capacity " + capacity);
        }
        if (closed) {
            throw new ClosedChannelException();
        }
        int nameLength = address(to);
        for (int i = 0; i < count; i++) {
            ByteBuffer b = datagrams[offset + i];
            if (!b.isDirect()) {
                throw new IllegalArgumentException("datagram " + i + " is not in a direct buffer");
            }
            MemorySegment iov = iovecs.asSlice(IOVEC * i, IOVEC);
            iov.set(ADDRESS, 0, MemorySegment.ofBuffer(b)); // from the buffer's position
            iov.set(JAVA_LONG, 8, b.remaining());
            headers.set(JAVA_INT, MMSGHDR * i + 8, nameLength);
        }
        for (int attempt = 0; ; attempt++) {
            int sent;
            try {
                sent = (int) NATIVE.sendmmsg().invokeExact(state, fd, headers, count, MSG_DONTWAIT);
            } catch (Throwable e) {
                throw new IOException("sendmmsg failed", e);
            }
            if (sent >= 0) {
                return sent;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == EAGAIN) {
                return 0;
            }
            if (errno != EINTR || attempt > 2) {
                throw new IOException("sendmmsg to " + Addresses.format(to) + ": errno " + errno);
            }
        }
    }

    /** Closes this sender's descriptor (the channel's own is the caller's); safe to call twice. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                int ignored = (int) NATIVE.close().invokeExact(state, fd);
            } catch (Throwable e) {
                // nothing more to free
            }
        }
    }

    /** Writes {@code to} as this socket's family wants it (once per peer); returns its length. */
    private int address(InetSocketAddress to) {
        if (to.equals(named)) {
            return family == AF_INET ? 16 : 28;
        }
        if (to.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + to);
        }
        byte[] ip = to.getAddress().getAddress();
        name.fill((byte) 0);
        short port = (short) to.getPort();
        name.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, port);
        if (family == AF_INET) {
            if (!(to.getAddress() instanceof Inet4Address)) {
                throw new IllegalArgumentException("IPv6 peer " + Addresses.format(to) + " on an IPv4 socket");
            }
            name.set(JAVA_SHORT, 0, (short) AF_INET);
            MemorySegment.copy(MemorySegment.ofArray(ip), 0, name, 4, 4);
        } else {
            name.set(JAVA_SHORT, 0, (short) AF_INET6);
            if (ip.length == 4) { // an IPv4 peer of a dual-stack socket: ::ffff:a.b.c.d
                name.set(JAVA_BYTE, 18, (byte) 0xff);
                name.set(JAVA_BYTE, 19, (byte) 0xff);
                MemorySegment.copy(MemorySegment.ofArray(ip), 0, name, 20, 4);
            } else {
                MemorySegment.copy(MemorySegment.ofArray(ip), 0, name, 8, 16);
                name.set(JAVA_INT, 24, ((java.net.Inet6Address) to.getAddress()).getScopeId());
            }
        }
        named = to;
        return family == AF_INET ? 16 : 28;
    }

    /** The bound calls, or why there are none. */
    private record Native(MethodHandle sendmmsg, MethodHandle dup, MethodHandle close, MethodHandle getsockopt,
                          MethodHandle fdVal, String reason) {
        @SuppressWarnings("restricted") // enabled by --enable-native-access, as for common.fs
        static Native bind() {
            String arch = System.getProperty("os.arch");
            if (!System.getProperty("os.name").equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64")
                    || arch.equals("aarch64"))) {
                return unavailable("sendmmsg is bound on Linux x86-64 and AArch64 only");
            }
            try {
                Linker linker = Linker.nativeLinker();
                Linker.Option errno = Linker.Option.captureCallState("errno");
                var lookup = linker.defaultLookup();
                MethodHandle sendmmsg = linker.downcallHandle(lookup.find("sendmmsg").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
                MethodHandle dup = linker.downcallHandle(lookup.find("dup").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
                MethodHandle close = linker.downcallHandle(lookup.find("close").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
                MethodHandle getsockopt = linker.downcallHandle(lookup.find("getsockopt").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), errno);
                // The JDK keeps a channel's descriptor to itself; its SelChImpl interface names it.
                Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
                MethodHandle fdVal = MethodHandles.lookup()
                        .findVirtual(selectable, "getFDVal", MethodType.methodType(int.class))
                        .asType(MethodType.methodType(int.class, DatagramChannel.class));
                return new Native(sendmmsg, dup, close, getsockopt, fdVal, null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return unavailable("no access to a channel's descriptor (--add-exports java.base/sun.nio.ch=ALL-UNNAMED): "
                        + e);
            }
        }

        private static Native unavailable(String why) {
            return new Native(null, null, null, null, null, why);
        }
    }
}
