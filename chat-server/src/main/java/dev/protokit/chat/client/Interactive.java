package dev.protokit.chat.client;

import dev.protokit.chat.wire.ClientMessage;
import dev.protokit.chat.wire.ChatWireException;
import dev.protokit.chat.wire.Conversation;
import dev.protokit.chat.wire.ServerMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive {@code bin/chat}: a JLine prompt with line editing and input history (kept in
 * {@code ~/.local/state/protokit/chat.history}), server messages printed above the prompt by the
 * client's reader thread, and slash commands. Plain text goes to the current room.
 */
final class Interactive {
    private static final String HELP = "/join ROOM  /part [ROOM]  /msg ACCOUNT TEXT  /me TEXT  /topic TEXT  /who  "
            + "/away [TEXT]  /history [N]  /send FILE  /get ID  /quit";

    private final ChatMain chat;
    private String room;
    private ChatClient client;
    private LineReader reader;

    Interactive(ChatMain chat) {
        this.chat = chat;
    }

    int run() throws IOException, InterruptedException {
        try (Terminal terminal = TerminalBuilder.builder().name("chat").build()) {
            Path history = Path.of(System.getProperty("user.home"), ".local", "state", "protokit", "chat.history");
            Files.createDirectories(history.getParent());
            reader = LineReaderBuilder.builder().terminal(terminal).appName("chat")
                    .variable(LineReader.HISTORY_FILE, history).build();
            client = new ChatClient(chat.dialer(), chat.key(), new ChatClient.Listener() {
                @Override
                public void message(ServerMessage message) {
                    MessageFormat.line(message).ifPresent(reader::printAbove);
                }

                @Override
                public void file(ServerMessage.File file, InputStream body) throws IOException {
                    Path saved = save(file.attachment().name(), body);
                    reader.printAbove("-- saved " + file.attachment().name() + " (" + file.attachment().size()
                            + " bytes) as " + saved);
                }

                @Override
                public void connected(ServerMessage.Welcome welcome, boolean reconnect) {
                    reader.printAbove((reconnect ? "-- reconnected to " : "-- connected to ") + welcome.server()
                            + " as " + welcome.account() + ". " + HELP);
                }

                @Override
                public void disconnected(String reason, Duration delay) {
                    reader.printAbove("-- disconnected (" + reason + "); reconnecting in " + delay.toMillis() + " ms");
                }
            }, ChatMain.RECONNECT, ChatMain.TIMEOUT);
            Thread network = Thread.ofVirtual().name("chat-network").start(() -> {
                try {
                    client.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IllegalStateException e) {
                    reader.printAbove("chat: " + e.getMessage());
                }
            });
            try {
                while (network.isAlive()) {
                    String line;
                    try {
                        line = reader.readLine(room == null ? "> " : "#" + room + "> ");
                    } catch (UserInterruptException e) {
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    if (!command(line.strip())) {
                        break;
                    }
                }
            } finally {
                client.stop();
                network.interrupt();
            }
        }
        return 0;
    }

    /** Carries out one input line; false on /quit. */
    private boolean command(String line) {
        if (line.isEmpty()) {
            return true;
        }
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1] : "";
        try {
            switch (line.startsWith("/") ? parts[0] : "") {
                case "" -> say(line, false);
                case "/me" -> say(arg, true);
                case "/join" -> {
                    room = arg.replaceFirst("^#", "");
                    client.send(new ClientMessage.Join(room, Optional.empty()));
                    history(20);
                }
                case "/part" -> {
                    String which = arg.isEmpty() ? currentRoom() : arg.replaceFirst("^#", "");
                    client.forget(which);
                    client.send(new ClientMessage.Part(which, Optional.empty()));
                    room = which.equals(room) ? null : room;
                }
                case "/msg" -> {
                    String[] to = arg.split("\\s+", 2);
                    client.send(new ClientMessage.Dm(Optional.of(client.nextRef()), to[0], to.length > 1 ? to[1] : "", false));
                }
                case "/topic" -> client.send(new ClientMessage.SetTopic(Optional.of(client.nextRef()), currentRoom(), arg));
                case "/who" -> client.send(new ClientMessage.Who(currentRoom()));
                case "/away" -> client.send(new ClientMessage.Away(arg.isEmpty() ? Optional.empty() : Optional.of(arg)));
                case "/history" -> history(arg.isEmpty() ? 20 : Integer.parseInt(arg));
                case "/send" -> sendFile(Path.of(arg));
                case "/get" -> client.send(new ClientMessage.Get(Optional.of(client.nextRef()), arg));
                case "/quit" -> {
                    client.send(new ClientMessage.Quit(Optional.of(arg.isEmpty() ? "bye" : arg)));
                    return false;
                }
                default -> reader.printAbove("-- unknown command " + parts[0] + ". " + HELP);
            }
        } catch (IOException | ChatWireException | IllegalStateException | NumberFormatException e) {
            reader.printAbove("!! " + e.getMessage());
        }
        return true;
    }

    private void say(String text, boolean action) throws IOException {
        client.send(new ClientMessage.Say(Optional.of(client.nextRef()), currentRoom(), text, action));
    }

    private void history(int limit) throws IOException {
        client.send(new ClientMessage.History(new Conversation.Room(currentRoom()), OptionalLong.empty(), OptionalLong.empty(),
                Math.clamp(limit, 1, 100)));
    }

    private void sendFile(Path file) throws IOException {
        String type = Optional.ofNullable(Files.probeContentType(file)).orElse("application/octet-stream");
        var attach = new ClientMessage.Attach(Optional.of(client.nextRef()), new Conversation.Room(currentRoom()),
                file.getFileName().toString(), type, Files.size(file));
        try (InputStream in = Files.newInputStream(file)) {
            client.sendFile(attach, in);
        }
    }

    /** Saves a download in the current directory under its (plain) name, never over an existing file. */
    static Path save(String name, InputStream body) throws IOException {
        for (int n = 0; ; n++) {
            Path target = Path.of(n == 0 ? name : n + "-" + name);
            try (var out = Files.newOutputStream(target, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                body.transferTo(out);
                return target;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (n == 99) {
                    throw e;
                }
            }
        }
    }

    private String currentRoom() {
        if (room == null) {
            throw new IllegalStateException("join a room first: /join ROOM");
        }
        return room;
    }
}
