package dev.protokit.tftp.client;

import dev.protokit.tftp.engine.TransferStats;
import dev.protokit.tftp.wire.NegotiatedOptions;

/**
 * A completed client transfer.
 *
 * @param options what was agreed with the server ({@link NegotiatedOptions#DEFAULTS} when it
 *                ignored the options or none were asked for)
 * @param stats   bytes, blocks, retransmissions and time
 */
public record TransferResult(NegotiatedOptions options, TransferStats stats) {}
