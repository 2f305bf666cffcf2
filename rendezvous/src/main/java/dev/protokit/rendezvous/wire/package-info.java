/**
 * The rendezvous protocol's messages (register, registered, probe echo, keepalive, introduce,
 * leave, error) as values and their codec, and the demultiplexing of the shared UDP port.
 * Pure: no sockets, no clocks.
 */
package dev.protokit.rendezvous.wire;
