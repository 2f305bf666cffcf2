package dev.protokit.tftp.wire;

import java.util.Objects;

/**
 * Asks to read {@code filename} from the server (RFC 1350 RRQ, options from RFC 2347).
 *
 * @param filename the file name, its bytes mapped one to one to chars (ISO-8859-1); not empty,
 *                 no NUL, no char above 0xff
 * @param mode     the transfer mode
 * @param options  the requested options, possibly empty
 */
public record ReadRequest(String filename, TransferMode mode, TftpOptions options)
        implements TftpPacket, TransferRequest {
    /** Validates the name; see {@link Strings#requireWireString}. */
    public ReadRequest {
        Strings.requireWireString("filename", filename, false);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
    }

    /** A request without options. */
    public ReadRequest(String filename, TransferMode mode) {
        this(filename, mode, TftpOptions.empty());
    }

    @Override
    public Opcode opcode() {
        return Opcode.RRQ;
    }

    @Override
    public TftpPacket packet() {
        return this;
    }
}
