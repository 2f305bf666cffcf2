package dev.protokit.chat.wire;

/**
 * Any {@code protokit-chat/1} message: a {@link ClientMessage} or a {@link ServerMessage}.
 * {@link ChatCodec} turns them into frame headers and back.
 */
public sealed interface ChatMessage permits ClientMessage, ServerMessage {
}
