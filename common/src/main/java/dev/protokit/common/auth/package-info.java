/**
 * Mutual HMAC-SHA256 challenge-response authentication over pre-shared 256-bit keys, with
 * HKDF-SHA256 session keys: the {@value dev.protokit.common.auth.Protocol#LABEL} handshake.
 *
 * <pre>
 *  client                                                 server
 *    | T1 client-hello {protocol, key_id, nonce Nc}          |
 *    | ----------------------------------------------------> |
 *    | T2 server-challenge {nonce Ns}                        |
 *    | &lt;---------------------------------------------------- |
 *    | T3 client-proof {mac = HMAC(K, "... client" 0 T1 T2)} |
 *    | ----------------------------------------------------> |
 *    | T4 server-proof {mac = HMAC(K, "... server" 0 T1..T3)}|
 *    | &lt;---------------------------------------------------- |   (or T4 failure, always the same)
 * </pre>
 *
 * <p>Layers, from pure to I/O: {@link dev.protokit.common.auth.AuthCodec} (JSON bodies),
 * {@link dev.protokit.common.auth.ClientHandshake} and
 * {@link dev.protokit.common.auth.ServerHandshake} (state machines over bodies, no sockets or
 * clocks), then {@link dev.protokit.common.auth.ClientAuthenticator} and
 * {@link dev.protokit.common.auth.ServerAuthenticator} (frames on a socket, the deadline, the
 * generic failure, the per-address throttle). Keys come from
 * {@link dev.protokit.common.auth.KeyFile}; {@link dev.protokit.common.auth.Protocol} holds the
 * full diagram and the key schedule, and {@code docs/auth-handshake.md} the threat model.
 */
package dev.protokit.common.auth;
