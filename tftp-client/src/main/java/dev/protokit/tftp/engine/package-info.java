/**
 * The TFTP transfer engine: one transfer over one {@link dev.protokit.tftp.engine.TransferChannel}
 * (its own socket, its TID), as a windowed {@link dev.protokit.tftp.engine.Sender} or a
 * {@link dev.protokit.tftp.engine.Receiver}. Shared by the client and the server: a server RRQ
 * is a send, a WRQ is a receive. Plain blocking code on the caller's thread (a virtual thread
 * per transfer in the server), no allocation per packet.
 */
package dev.protokit.tftp.engine;
