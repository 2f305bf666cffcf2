package dev.protokit.rendezvous.peer;

import dev.protokit.rendezvous.wire.Candidate;
import dev.protokit.rendezvous.wire.RendezvousMessage;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The host candidates: every address of every interface that is up, with the socket's port,
 * in the server's address family (the socket speaks that family); link-local IPv6 addresses
 * need a scope the other peer cannot use, so they are left out; loopback only when the server
 * itself is on loopback (a test on one machine).
 */
final class LocalCandidates {
    private LocalCandidates() {}

    static List<Candidate> gather(int port, InetAddress server) throws SocketException {
        boolean loopback = server.isLoopbackAddress();
        List<Candidate> v4 = new ArrayList<>();
        List<Candidate> v6 = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            for (InetAddress ip : Collections.list(nif.getInetAddresses())) {
                if (ip.isLinkLocalAddress() || ip.isMulticastAddress() || ip.isAnyLocalAddress()
                        || ip.isLoopbackAddress() != loopback) {
                    continue;
                }
                if (!ip.getClass().equals(server.getClass())) {
                    continue; // the socket speaks the server's family only
                }
                (ip instanceof Inet4Address ? v4 : v6).add(Candidate.host(new InetSocketAddress(ip, port)));
            }
        }
        List<Candidate> all = new ArrayList<>(v4);
        all.addAll(v6);
        all.sort(java.util.Comparator.comparing(c -> c.address().getAddress().isLoopbackAddress() ? 1 : 0));
        return List.copyOf(all.subList(0, Math.min(all.size(), RendezvousMessage.MAX_CANDIDATES)));
    }
}
