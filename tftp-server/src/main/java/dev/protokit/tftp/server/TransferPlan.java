package dev.protokit.tftp.server;

import dev.protokit.common.daemon.AddressLimiter.Permit;
import dev.protokit.tftp.wire.ServerOptionPolicy.Negotiation;
import dev.protokit.tftp.wire.TransferRequest;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An admitted request, ready to run: who asked, for what, where it lives in the root, the
 * negotiated options and the OACK to send (if any), and the limiter permit the transfer holds
 * until it ends.
 *
 * @param peer the client's address and port (its TID)
 * @param request the RRQ or WRQ as received
 * @param direction GET for an RRQ, PUT for a WRQ
 * @param path the file, after remapping and the jail's checks: opened beneath the root when the transfer starts
 * @param negotiation the agreed options and the OACK
 * @param permit the place this transfer takes in the limits; closed when it ends
 */
record TransferPlan(InetSocketAddress peer, TransferRequest request, Direction direction, RootJail.Target path,
                    Negotiation negotiation, Permit permit) {
    TransferPlan {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(negotiation, "negotiation");
        Objects.requireNonNull(permit, "permit");
    }
}
