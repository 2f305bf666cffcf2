package dev.protokit.chat.core;

/**
 * A {@link ClientSink} that reads its rooms' {@link TopicLog}s instead of being handed each
 * room event: {@link LocalFanout} appends a room's event once and, a moment later (once per
 * wake-up window, whatever the number of events), calls {@link #due} on each member, whose
 * writer then sends everything new from its {@link #inbox()}. Events of other topics (direct
 * messages, QUIT and NICK to every room of a client) still arrive through {@link #deliver}.
 */
public interface LogReader extends ClientSink {

    /** Where the fan-out attaches this member's room cursors; the member's writer reads it. */
    Inbox inbox();

    /**
     * Entries were appended to a log this member reads: check the send-queue limit and start
     * the writer unless it runs. Called on the fan-out's wake-up thread, and on the thread that
     * removed the member from a room (for the room's last lines); never blocks.
     */
    void due();
}
