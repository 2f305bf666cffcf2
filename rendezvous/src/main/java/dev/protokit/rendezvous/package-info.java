/**
 * rendezvous: STUN (RFC 8489/5780), TURN (RFC 8656) and a rendezvous protocol on one UDP port,
 * and the peer that punches through NATs with it. Sub-packages: {@code stun} and {@code wire}
 * (pure codecs), {@code server}, {@code peer}.
 */
package dev.protokit.rendezvous;
