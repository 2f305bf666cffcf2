/**
 * STUN (RFC 8489, 5780) and TURN (RFC 8656) messages and attributes as values, their codec,
 * integrity and fingerprint, ChannelData framing and REST-API TURN credentials. Pure: no
 * sockets, no files, no clocks; the fuzz and codec tests drive it.
 */
package dev.protokit.rendezvous.stun;
