package dev.protokit.tftp.wire;

import java.util.Objects;

/**
 * Asks to write {@code filename} to the server (RFC 1350 WRQ, options from RFC 2347).
 *
 * @param filename the file name, its bytes mapped one to one to chars (ISO-8859-1); not empty,
 *                 no NUL, no char above 0xff
 * @param mode     the transfer mode
 * @param options  the requested options, possibly empty
 */
public record WriteRequest(String filename, TransferMode mode, TftpOptions options)
        implements TftpPacket, TransferRequest {
    /** Validates the name; see {@link Strings#requireWireString}. */
    public WriteRequest {
        Strings.requireWireString("filename", filename, false);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
    }

    /** A request without options. */
    public WriteRequest(String filename, TransferMode mode) {
        this(filename, mode, TftpOptions.empty());
    }

    @Override
    public Opcode opcode() {
        return Opcode.WRQ;
    }

    @Override
    public TftpPacket packet() {
        return this;
    }
}
