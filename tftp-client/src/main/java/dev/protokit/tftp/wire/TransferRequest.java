package dev.protokit.tftp.wire;

/**
 * What a read and a write request share: the file, the mode and the RFC 2347 options. A server
 * dispatches on the concrete type (an RRQ is a send, a WRQ is a receive).
 */
public sealed interface TransferRequest permits ReadRequest, WriteRequest {
    /** The file name as sent: its bytes mapped one to one to chars (ISO-8859-1), never empty. */
    String filename();

    /** The transfer mode. */
    TransferMode mode();

    /** The options appended to the request, empty for a plain RFC 1350 request. */
    TftpOptions options();

    /** The packet this request is, so it can be encoded. */
    TftpPacket packet();
}
