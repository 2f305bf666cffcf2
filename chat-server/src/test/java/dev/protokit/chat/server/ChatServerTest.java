package dev.protokit.chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.protokit.chat.core.ChatEvent;
import dev.protokit.chat.core.Identity;
import dev.protokit.chat.core.MessageKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatServerTest {
    @TempDir
    Path state;

    @Test
    void extensionListenersStartAndStopWithTheServerAndHistorySurvivesARestart() {
        List<String> stopped = new CopyOnWriteArrayList<>();
        ChatListener.Factory fake = ctx -> new ChatListener() {
            @Override public String name() { return "fake"; }
            @Override public int port() { return 1; }
            @Override public int activeSessions() { return 0; }
            @Override public void shutdown(Duration grace) { stopped.add("fake"); }
        };
        ChatServerConfig config = ChatServerConfig.forTests(state)
                .withPorts(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty())
                .withExtensions(List.of(fake), List.of(), ChatServerConfig.NotifierFactory.NONE);
        try (ChatServer server = ChatServer.start(config)) {
            assertTrue(server.listener("fake").isPresent());
            List<ChatEvent> seen = new CopyOnWriteArrayList<>();
            var a = server.core().connect(new Identity("ann", "ann", "127.0.0.1", "Ann", Optional.empty()), seen::add);
            a.join("general", Optional.empty());
            a.sayToRoom("general", MessageKind.MESSAGE, "kept");
        }
        assertEquals(List.of("fake"), stopped);
        try (ChatServer server = ChatServer.start(config)) {
            assertTrue(server.core().room("general").isPresent());
            assertEquals("kept", server.store().history(new dev.protokit.chat.core.Conversation.Room("general"),
                    new dev.protokit.chat.core.HistoryQuery.Latest(1)).getFirst().text());
        }
    }
}
