package dev.protokit.tftp.server;

/** Which way a transfer moves a file, as seen from the client; used by policy, remap rules and logs. */
public enum Direction {
    /** A read request (RRQ): the server sends the file. */
    GET,
    /** A write request (WRQ): the server receives the file. */
    PUT
}
