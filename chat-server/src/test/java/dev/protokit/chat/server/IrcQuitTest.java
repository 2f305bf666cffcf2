package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.protokit.chat.irc.IrcMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a channel hears when a member quits: the reason it gave, even when the client hangs up
 * the moment it has sent its QUIT (EPIC5 does; many bots do), so that the server reads the end
 * of the stream right after the QUIT line.
 */
class IrcQuitTest {
    private static final int ROUNDS = 30;

    @TempDir
    Path state;

    @Test
    void theQuitReasonSurvivesAClientThatHangsUpRightAfterIt() throws Exception {
        try (ChatServer server = ChatServer.start(ChatServerConfig.forTests(state))) {
            var stays = IrcTestClient.joined(server.ircPort(), "stays", "#room");
            for (int i = 0; i < ROUNDS; i++) {
                var leaves = IrcTestClient.joined(server.ircPort(), "leaves" + i, "#room");
                stays.expect("JOIN");
                leaves.sendRaw("QUIT :gone fishing\r\n");
                leaves.socket.shutdownOutput(); // the FIN right behind the QUIT
                IrcMessage quit = stays.expect("QUIT");
                assertEquals("leaves" + i, quit.source().orElseThrow().split("!")[0]);
                assertEquals("Quit: gone fishing", quit.params().getLast(), "round " + i);
                leaves.close();
            }
            stays.close();
        }
    }
}
