package dev.protokit.tftp.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Test helpers: loopback sockets, random content, digests, a virtual thread to run one side. */
final class Loopback {
    static final ExecutorService THREADS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("test-peer-", 0).factory());

    private Loopback() {}

    static DatagramChannel bound(InetAddress address) throws IOException {
        var family = address instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        return DatagramChannel.open(family).bind(new InetSocketAddress(address, 0));
    }

    static InetSocketAddress local(DatagramChannel channel) throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static <T> Future<T> async(Callable<T> task) {
        return THREADS.submit(task);
    }
}
