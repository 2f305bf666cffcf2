package dev.protokit.ftp.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Asks the kernel, without reading, whether the peer of a TCP connection has closed or reset it:
 * {@code poll(2)} with {@code POLLRDHUP} and a zero timeout on the connection's descriptor.
 *
 * <p>Why: a client killed during STOR has its descriptors closed by the kernel in order, the
 * control connection (opened first) before the data connection, so by the time the data
 * connection's FIN ends an upload, the control connection's FIN is already queued. The reader
 * thread that would notice it is merely not scheduled yet; asking the kernel closes that race
 * (issue #9: the half file of a killed curl was published about one time in ten without fsync).
 *
 * <p>Java gives no descriptor number for a {@link Socket}, so it is found once among
 * {@code /proc/self/fd} by its address pair ({@code getsockname}/{@code getpeername}: a
 * connected TCP socket is the only one with its four-tuple). Linux only; elsewhere, or when the
 * descriptor is not found, {@link #of} is empty and the caller relies on its reader alone.
 */
final class PeerHangup {
    private static final short POLLIN = 0x1;
    private static final short POLLERR = 0x8;
    private static final short POLLHUP = 0x10;
    private static final short POLLRDHUP = 0x2000;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final Optional<Calls> CALLS = Calls.bind();

    private final int fd;

    private PeerHangup(int fd) {
        this.fd = fd;
    }

    /** The probe for {@code socket}'s descriptor, if it can be found (a scan of this process's descriptors). */
    static Optional<PeerHangup> of(Socket socket) {
        if (CALLS.isEmpty() || !(socket.getLocalSocketAddress() instanceof InetSocketAddress local)
                || !(socket.getRemoteSocketAddress() instanceof InetSocketAddress remote)) {
            return Optional.empty();
        }
        String[] fds = new File("/proc/self/fd").list();
        if (fds == null) {
            return Optional.empty();
        }
        for (String name : fds) {
            int fd;
            try {
                fd = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                continue;
            }
            if (local.equals(CALLS.get().address(fd, false)) && remote.equals(CALLS.get().address(fd, true))) {
                return Optional.of(new PeerHangup(fd));
            }
        }
        return Optional.empty();
    }

    /**
     * True if the peer's FIN or RST has arrived. The caller must know the socket is still open
     * (else the descriptor number may have been reused).
     */
    boolean hungUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, (short) (POLLIN | POLLRDHUP));
            int n = (int) CALLS.get().poll.invokeExact(pollfd, 1L, 0);
            short revents = pollfd.get(JAVA_SHORT, 6);
            return n > 0 && (revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
        } catch (Throwable e) {
            return false; // no answer from the kernel: the reader's view stands
        }
    }

    /** getsockname, getpeername and poll, bound once. */
    private record Calls(MethodHandle sockname, MethodHandle peername, MethodHandle poll) {
        @SuppressWarnings("restricted") // enabled by --enable-native-access, as for common.fs
        static Optional<Calls> bind() {
            if (!System.getProperty("os.name").equals("Linux")) {
                return Optional.empty();
            }
            try {
                Linker linker = Linker.nativeLinker();
                FunctionDescriptor name = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
                var libc = linker.defaultLookup();
                return Optional.of(new Calls(
                        linker.downcallHandle(libc.find("getsockname").orElseThrow(), name),
                        linker.downcallHandle(libc.find("getpeername").orElseThrow(), name),
                        linker.downcallHandle(libc.find("poll").orElseThrow(),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT))));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }

        /** The local or peer address of descriptor {@code fd}, or null if it is no connected IP socket. */
        InetSocketAddress address(int fd, boolean peer) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment addr = arena.allocate(128);
                MemorySegment length = arena.allocate(JAVA_INT);
                length.set(JAVA_INT, 0, 128);
                int rc = (int) (peer ? peername : sockname).invokeExact(fd, addr, length);
                return rc == 0 ? decode(addr) : null;
            } catch (Throwable e) {
                return null;
            }
        }

        /** struct sockaddr_in / sockaddr_in6; IPv4-mapped IPv6 addresses become IPv4 ones, as Java shows them. */
        private static InetSocketAddress decode(MemorySegment addr) throws UnknownHostException {
            int family = addr.get(JAVA_SHORT, 0);
            int port = ((addr.get(JAVA_BYTE, 2) & 0xff) << 8) | (addr.get(JAVA_BYTE, 3) & 0xff);
            byte[] ip = switch (family) {
                case AF_INET -> addr.asSlice(4, 4).toArray(JAVA_BYTE);
                case AF_INET6 -> addr.asSlice(8, 16).toArray(JAVA_BYTE);
                default -> null;
            };
            return ip == null ? null : new InetSocketAddress(InetAddress.getByAddress(ip), port);
        }
    }
}
