package dev.protokit.tftp.wire;

import java.util.Objects;

/**
 * Option acknowledgment (RFC 2347 OACK): the options the server accepted, with the values it
 * will use. Only options the client asked for may appear.
 *
 * @param options the acknowledged options
 */
public record OptionAck(TftpOptions options) implements TftpPacket {
    /** Requires the options. */
    public OptionAck {
        Objects.requireNonNull(options, "options");
    }

    @Override
    public Opcode opcode() {
        return Opcode.OACK;
    }
}
