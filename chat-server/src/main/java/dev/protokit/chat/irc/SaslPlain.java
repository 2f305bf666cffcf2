package dev.protokit.chat.irc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * SASL PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}, UTF-8. The password is
 * decoded into a {@code char[]} the caller wipes; the raw bytes are wiped here.
 */
public final class SaslPlain {
    private SaslPlain() {}

    /** The parts of a PLAIN message. */
    public record Credentials(String authzid, String authcid, char[] password) {
        /** Overwrites the password. */
        public void wipe() {
            Arrays.fill(password, '\0');
        }

        @Override
        public String toString() {
            return "Credentials[authcid=" + authcid + ", password=<redacted>]";
        }
    }

    /** Parses {@code message}, wiping it; 904 if it is not three NUL-separated UTF-8 fields. */
    public static Credentials parse(byte[] message) {
        try {
            int first = indexOf(message, 0);
            int second = first < 0 ? -1 : indexOf(message, first + 1);
            if (first < 0 || second < 0 || indexOf(message, second + 1) >= 0 || second == first + 1) {
                throw fail("SASL PLAIN message must be authzid NUL authcid NUL password");
            }
            String authzid = utf8(message, 0, first);
            String authcid = utf8(message, first + 1, second);
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(message, second + 1, message.length - second - 1));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(chars.array(), '\0');
            return new Credentials(authzid, authcid, password);
        } catch (CharacterCodingException e) {
            throw new IrcException(Numeric.ERR_SASLFAIL, List.of(), "SASL authentication failed: not UTF-8", e);
        } finally {
            Arrays.fill(message, (byte) 0);
        }
    }

    private static String utf8(byte[] b, int from, int to) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b, from, to - from)).toString();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static IrcException fail(String why) {
        return new IrcException(Numeric.ERR_SASLFAIL, List.of(), "SASL authentication failed: " + why);
    }
}
