/**
 * The TFTP wire layer: packets as sealed records, the codec, option negotiation and netascii
 * conversion (RFC 1350, 2347, 2348, 2349, 7440). Pure: no sockets, no files, no clocks, so the
 * codec tests and the fuzzer drive it directly.
 */
package dev.protokit.tftp.wire;
