package dev.protokit.rendezvous.wire;

import dev.protokit.common.wire.WireIndex;
import java.time.Duration;
import java.util.List;

/** Range checks of the message records, failing with BAD_MESSAGE and the value in hex. */
final class Checks {
    private Checks() {}

    static void session(long session) {
        if (session < 0 || session > 0xffff_ffffL) {
            throw RendezvousException.bad("session " + WireIndex.hex16(session));
        }
    }

    static List<Candidate> candidates(List<Candidate> candidates) {
        if (candidates.size() > RendezvousMessage.MAX_CANDIDATES) {
            throw RendezvousException.bad("candidate count " + WireIndex.hex16(candidates.size()));
        }
        return List.copyOf(candidates);
    }

    static void seconds(Duration d, String what) {
        if (d.isNegative() || d.toSeconds() > 0xffff) {
            throw RendezvousException.bad(what + " " + d);
        }
    }

    static void millis(Duration d, String what) {
        if (d.isNegative() || d.toMillis() > 0xffff) {
            throw RendezvousException.bad(what + " " + d);
        }
    }

    static void ascii(String s, int max, String what) {
        if (s.length() > max || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw RendezvousException.bad(what + " length " + WireIndex.hex16(s.length()) + " or not printable ASCII");
        }
    }
}
