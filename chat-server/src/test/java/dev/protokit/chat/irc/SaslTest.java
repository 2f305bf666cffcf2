package dev.protokit.chat.irc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.protokit.chat.core.ScramVerifier;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SaslTest {
    private static final byte[] SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final ScramVerifier PENCIL = ScramVerifier.derive("pencil".toCharArray(), SALT, 4096);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ScramServer server() {
        return new ScramServer(name -> name.equals("user") ? Optional.of(PENCIL) : Optional.empty(),
                () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", new byte[32]);
    }

    @Test
    void scramFollowsTheRfc7677Example() {
        ScramServer s = server();
        var first = assertInstanceOf(ScramServer.Step.Challenge.class, s.clientFirst(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")));
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                new String(first.message(), StandardCharsets.UTF_8));
        var ok = assertInstanceOf(ScramServer.Step.Success.class, s.clientFinal(utf8(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")));
        assertEquals("user", ok.account());
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", new String(ok.serverFinal(), StandardCharsets.UTF_8));
    }

    @Test
    void wrongProofsNoncesAndChannelBindingFail() {
        String nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        for (String bad : List.of("c=biws,r=" + nonce + ",p=AHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "c=biws,r=" + nonce + "x,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "c=eSws,r=" + nonce + ",p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                "c=biws,r=" + nonce + ",p=!!",
                "c=biws,r=" + nonce + ",p=AAAA",
                "c=biws,r=" + nonce)) {
            ScramServer s = server();
            s.clientFirst(utf8("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
            assertInstanceOf(ScramServer.Step.Failure.class, s.clientFinal(utf8(bad)), bad);
        }
        assertInstanceOf(ScramServer.Step.Failure.class, server().clientFirst(utf8("p=tls-unique,,n=user,r=abc")));
        assertInstanceOf(ScramServer.Step.Failure.class, server().clientFirst(utf8("n,,r=abc")));
        assertInstanceOf(ScramServer.Step.Failure.class, server().clientFinal(utf8("c=biws,r=x,p=AAAA")));
    }

    @Test
    void unknownUsersGetAStableFakeSaltAndFailOnlyAtTheProof() {
        var a = assertInstanceOf(ScramServer.Step.Challenge.class, server().clientFirst(utf8("n,,n=nobody,r=abc")));
        var b = assertInstanceOf(ScramServer.Step.Challenge.class, server().clientFirst(utf8("n,,n=nobody,r=abc")));
        String sa = new String(a.message(), StandardCharsets.UTF_8);
        assertEquals(sa.substring(sa.indexOf(",s=")), new String(b.message(), StandardCharsets.UTF_8).substring(sa.indexOf(",s=")));
    }

    @Test
    void plainSplitsThreeFieldsAndRefusesOthers() {
        SaslPlain.Credentials c = SaslPlain.parse(utf8("\u0000alice\u0000p\u00e4ss word"));
        assertEquals("", c.authzid());
        assertEquals("alice", c.authcid());
        assertArrayEquals("p\u00e4ss word".toCharArray(), c.password());
        c.wipe();
        assertArrayEquals(new char[9], c.password());
        for (String bad : List.of("alice", "\u0000\u0000pw", "a\u0000b\u0000c\u0000d", "")) {
            assertEquals(Numeric.ERR_SASLFAIL, assertThrows(IrcException.class, () -> SaslPlain.parse(utf8(bad))).numeric());
        }
    }

    @Test
    void chunksOf400AndAPlusEndThePayload() {
        var chunks = new SaslChunks();
        byte[] payload = new byte[300];
        List<String> parts = SaslChunks.split(payload);
        assertEquals(List.of(400, 1), parts.stream().map(String::length).toList());
        assertEquals(Optional.empty(), chunks.add(parts.get(0)));
        assertArrayEquals(payload, chunks.add(parts.get(1)).orElseThrow());
        assertArrayEquals(new byte[0], chunks.add("+").orElseThrow());
        assertEquals(Numeric.ERR_SASLTOOLONG, assertThrows(IrcException.class, () -> chunks.add("A".repeat(401))).numeric());
        // 4096 bytes of payload are 5464 base64 characters: 13 full chunks fit, a 14th does not.
        for (int i = 0; i < 13; i++) {
            chunks.add("A".repeat(400));
        }
        assertEquals(Numeric.ERR_SASLTOOLONG, assertThrows(IrcException.class, () -> chunks.add("A".repeat(400))).numeric());
        assertEquals(Numeric.ERR_SASLFAIL, assertThrows(IrcException.class, () -> chunks.add("***")).numeric());
    }
}
