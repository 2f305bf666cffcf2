package dev.protokit.rendezvous.stun;

import java.text.Normalizer;

/**
 * The string preparation of STUN credentials. RFC 8489 names the OpaqueString profile (RFC
 * 8265); RFC 5389 and its test vectors (RFC 5769 2.4, "TheMatrIX") use SASLprep (RFC 4013).
 * For the ASCII credentials in practice both are the identity; this implements SASLprep's
 * mapping (non-ASCII spaces to U+0020, "commonly mapped to nothing" removed) and NFKC, so the
 * RFC 5769 vector holds. Control characters are refused.
 */
final class SaslPrep {
    private SaslPrep() {}

    static String prepare(String s) {
        var b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (mappedToNothing(c)) {
                return;
            }
            b.appendCodePoint(nonAsciiSpace(c) ? ' ' : c);
        });
        String out = Normalizer.normalize(b, Normalizer.Form.NFKC);
        if (out.codePoints().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("credential contains a control character");
        }
        return out;
    }

    /** RFC 3454 table B.1. */
    private static boolean mappedToNothing(int c) {
        return c == 0x00ad || c == 0x034f || c == 0x1806 || (c >= 0x180b && c <= 0x180d)
                || (c >= 0x200b && c <= 0x200d) || c == 0x2060 || (c >= 0xfe00 && c <= 0xfe0f) || c == 0xfeff;
    }

    /** RFC 3454 table C.1.2. */
    private static boolean nonAsciiSpace(int c) {
        return c == 0x00a0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200b) || c == 0x202f || c == 0x205f
                || c == 0x3000;
    }
}
