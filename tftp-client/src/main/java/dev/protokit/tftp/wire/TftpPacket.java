package dev.protokit.tftp.wire;

/**
 * A TFTP packet as a value. Handlers switch over this sealed type; the peer's address travels
 * beside it in {@link Received}, never inside it. {@link TftpCodec} turns packets into bytes and
 * back.
 */
public sealed interface TftpPacket permits ReadRequest, WriteRequest, Data, Ack, TftpError, OptionAck {
    /** The opcode this packet is sent with. */
    Opcode opcode();
}
