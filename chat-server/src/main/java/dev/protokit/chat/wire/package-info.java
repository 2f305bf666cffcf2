/**
 * The native protocol {@code protokit-chat/1}: typed messages as sealed records
 * ({@link dev.protokit.chat.wire.ClientMessage} from clients, {@link dev.protokit.chat.wire.ServerMessage}
 * from the server), one JSON {@code type} each, carried in the headers of {@code common}'s
 * length-prefixed frames after the {@code protokit-auth/1} handshake; frame bodies carry
 * attachments. Pure: no sockets, no files, no clocks, so codec tests drive it directly.
 * The protocol is described, every message drawn, in {@code docs/chat.md}.
 */
package dev.protokit.chat.wire;
