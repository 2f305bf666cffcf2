package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.Account;
import dev.protokit.chat.core.ScramVerifier;
import dev.protokit.chat.irc.IrcMessage;
import dev.protokit.common.auth.KeyId;
import dev.protokit.common.auth.SharedKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrcServerTest {
    @TempDir
    Path state;
    ChatServer server;
    int port;

    @BeforeEach
    void start() {
        server = ChatServer.start(ChatServerConfig.forTests(state));
        port = server.ircPort();
        server.store().addAccount(Account.create("alice", Optional.empty(), true, Instant.now()),
                new SharedKey(new KeyId("alice"), new byte[32]),
                Optional.of(ScramVerifier.derive("pencil".toCharArray(), new byte[16], 4096)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void registersWithATruthfulWelcome() throws Exception {
        try (var c = IrcTestClient.connect(port)) {
            c.send("NICK ann");
            c.send("USER ann 0 * :Ann Example");
            IrcMessage welcome = c.expect("001");
            assertEquals("irc.test", welcome.source().orElseThrow());
            assertTrue(welcome.params().getLast().contains("ann!~ann@127.0.0.1"), welcome.toString());
            var isupport = new StringBuilder();
            for (IrcMessage m = c.expect("005"); m.command().equals("005"); m = c.next()) {
                isupport.append(String.join(" ", m.params())).append(' ');
            }
            String tokens = isupport.toString();
            assertTrue(tokens.contains("CASEMAPPING=ascii") && tokens.contains("CHANMODES=b,k,l,imnt")
                    && tokens.contains("PREFIX=(ov)@+") && tokens.contains("CHATHISTORY=500"), tokens);
            c.expect("372");
            c.expect("376");
            c.send("PING :abc");
            assertEquals("abc", c.expect("PONG").params().getLast());
        }
    }

    @Test
    void registersAClientThatEndsLinesWithLfAlone() throws Exception {
        // nmap's irc-info writes exactly this, in one segment, and waits for the MOTD.
        try (var c = IrcTestClient.connect(port)) {
            c.sendRaw("USER nmap +iw nmap :Nmap Wuz Here\nNICK lfonly\n");
            c.expect("001");
            c.expect("376", "422");
            c.sendRaw("LUSERS\nQUIT\n");
            c.expect("251");
            c.expect("ERROR");
        }
    }

    @Test
    void serverQueriesAnswerAfterRegistration() throws Exception {
        try (var a = IrcTestClient.register(port, "ann"); var b = IrcTestClient.register(port, "bea")) {
            a.send("JOIN #lobby");
            a.expect("366");
            b.send("LUSERS");
            assertTrue(b.expect("251").params().getLast().startsWith("There are 2 users"));
            assertEquals("1", b.expect("254").params().get(1));
            assertTrue(b.expect("255").params().getLast().startsWith("I have 2 clients"));
            b.send("MOTD");
            b.expect("375", "422");
            b.send("VERSION");
            IrcMessage version = b.expect("351");
            assertTrue(version.params().get(1).startsWith("protokit-chat-") && version.params().get(2).equals("irc.test"),
                    version.toString());
            b.expect("005");
            b.send("TIME");
            IrcMessage time = b.expect("391");
            long now = Instant.now().getEpochSecond();
            assertTrue(Math.abs(Long.parseLong(time.params().get(2)) - now) < 600, time.toString());
            b.send("MOTD other.example");
            assertEquals("other.example", b.expect("402").params().get(1));
            b.send("PING :still-here");
            assertEquals("still-here", b.expect("PONG").params().getLast());
        }
    }

    @Test
    void twoClientsTalkInAChannelWithTagsAndEcho() throws Exception {
        try (var a = IrcTestClient.register(port, "ann"); var b = IrcTestClient.connect(port)) {
            b.send("CAP LS 302");
            b.expect("CAP");
            b.send("CAP REQ :server-time message-tags echo-message account-tag");
            assertEquals("ACK", b.expect("CAP").params().get(1));
            b.send("NICK bea");
            b.send("USER bea 0 * :Bea");
            b.send("CAP END");
            b.expect("001");
            a.send("JOIN #General");
            assertEquals("#General", a.expect("JOIN").params().getFirst());
            a.expect("366");
            b.send("JOIN #general");
            IrcMessage names = b.expect("353");
            assertTrue(names.params().getLast().contains("@ann") && names.params().getLast().contains("bea"), names.toString());
            a.expect("JOIN");
            b.send("PRIVMSG #general :hello from bea");
            IrcMessage got = a.expect("PRIVMSG");
            assertEquals("bea!~bea@127.0.0.1", got.source().orElseThrow());
            assertEquals("hello from bea", got.params().get(1));
            IrcMessage echo = b.expect("PRIVMSG");
            assertTrue(echo.tags().containsKey("time") && echo.tags().containsKey("msgid"), echo.toString());
            a.send("PRIVMSG bea :psst");
            IrcMessage dm = b.expect("PRIVMSG");
            assertEquals("bea", dm.params().getFirst());
            assertEquals("psst", dm.params().get(1));
            a.send("PRIVMSG #general :\u0001ACTION waves\u0001");
            assertEquals("\u0001ACTION waves\u0001", b.expect("PRIVMSG").params().get(1));
        }
    }

    @Test
    void errorsGetNumericsAndTheConnectionStaysUp() throws Exception {
        try (var c = IrcTestClient.connect(port)) {
            c.send("JOIN #x");
            assertEquals("451", c.expect("451").command());
            c.send("NICK 9bad");
            c.expect("432");
            c.send("NICK");
            c.expect("431");
            c.send("NICK carl");
            c.send("USER carl 0 * :Carl");
            c.expect("001");
            c.send("FROB");
            assertEquals("FROB", c.expect("421").params().get(1));
            c.send("JOIN");
            c.expect("461");
            c.send("JOIN nohash");
            c.expect("403");
            c.send("PART #nowhere");
            c.expect("403");
            c.send("PRIVMSG nobody :hi");
            c.expect("401");
            c.send("PRIVMSG #nowhere :hi");
            c.expect("403");
            c.send("PRIVMSG");
            c.expect("411");
            c.send("PRIVMSG carl");
            c.expect("412");
            c.send("USER again 0 * :x");
            c.expect("462");
            c.send("PRIVMSG #x :" + "y".repeat(600));
            c.expect("417");
            // A lone LF ends a line as every ircd takes it (nmap's irc-info registers that way);
            // a lone CR is not a line end: the line holding it is refused as a whole.
            c.sendRaw("PING :lf-only\nPING :crlf\r\n");
            assertEquals("lf-only", c.expect("PONG").params().getLast());
            assertEquals("crlf", c.expect("PONG").params().getLast());
            c.sendRaw("PING :cr\rPRIVMSG #x :smuggled\r\n");
            c.expect("421");
            c.send("PING :after");
            assertEquals("after", c.expect("PONG").params().getLast());
            c.sendRaw("PING :nul\u0000here\r\n");
            c.expect("421");
            c.send("OPER alice pencil");
            c.expect("491");
            c.send("KILL alice :x");
            c.expect("481");
            c.send("PING :still-up");
            assertEquals("still-up", c.expect("PONG").params().getLast());
        }
    }

    @Test
    void channelModesAreEnforcedWithTheirNumerics() throws Exception {
        try (var op = IrcTestClient.register(port, "opal"); var u = IrcTestClient.register(port, "uma")) {
            op.send("JOIN #ops");
            op.expect("366");
            op.send("MODE #ops +ikl s3cret 5");
            IrcMessage mode = op.expect("MODE");
            assertEquals("+ikl", mode.params().get(1));
            u.send("JOIN #ops");
            u.expect("473");
            op.send("INVITE uma #ops");
            op.expect("341");
            u.expect("INVITE");
            u.send("JOIN #ops");
            u.expect("475");
            u.send("JOIN #ops s3cret");
            u.expect("366");
            u.send("TOPIC #ops :mine");
            u.expect("482");
            u.send("MODE #ops +m");
            u.expect("482");
            op.send("MODE #ops +m");
            op.expect("MODE");
            u.send("PRIVMSG #ops :can I?");
            u.expect("404");
            op.send("MODE #ops");
            IrcMessage is = op.expect("324");
            assertEquals("+imntkl", is.params().get(2));
            op.send("MODE #ops +z");
            op.expect("472");
            op.send("KICK #ops uma :bye");
            IrcMessage kick = u.expect("KICK");
            assertEquals("uma", kick.params().get(1));
            u.send("PART #ops");
            u.expect("442");
        }
    }

    @Test
    void registeredNicksNeedTheirAccount() throws Exception {
        try (var c = IrcTestClient.connect(port)) {
            c.send("NICK Alice");
            c.send("USER a 0 * :x");
            IrcMessage refused = c.expect("433");
            assertTrue(refused.params().getLast().contains("registered"), refused.toString());
            c.send("NICK alice_");
            c.expect("001");
        }
        try (var c = IrcTestClient.connect(port)) {
            c.send("PASS alice:pencil");
            c.send("NICK alice");
            c.send("USER a 0 * :x");
            IrcMessage welcome = c.expect("001");
            assertTrue(welcome.params().getLast().contains("alice!alice@"), welcome.toString());
            c.send("OPER alice pencil");
            c.expect("381");
        }
    }
}
