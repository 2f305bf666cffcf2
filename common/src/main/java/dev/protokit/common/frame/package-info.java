/**
 * Byte-stream framing shared by the protokit protocols.
 *
 * <p>Two framings live here. {@link dev.protokit.common.frame.FrameReader} and
 * {@link dev.protokit.common.frame.FrameWriter} carry length-prefixed frames with a JSON header
 * and a streamed body of any size (layout in {@link dev.protokit.common.frame.FrameCodec}).
 * {@link dev.protokit.common.frame.LineReader} and {@link dev.protokit.common.frame.LineWriter}
 * carry bounded CRLF-terminated lines for text protocols such as the FTP control channel.
 *
 * <p>Both treat the peer as hostile: every length is checked against a configured limit before
 * anything is read or allocated, and every violation is reported with the offending value.
 */
package dev.protokit.common.frame;
