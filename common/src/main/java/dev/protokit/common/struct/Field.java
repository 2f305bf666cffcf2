package dev.protokit.common.struct;

/**
 * One run of same-coded items in a compiled format: {@code 4h} is one field of four shorts,
 * {@code 10s} one field holding one 10-byte string. Pad bytes ({@code x}) and alignment gaps
 * make no field; the packer zeroes them and the unpacker skips them.
 *
 * @param code        the format code
 * @param offset      where the first item starts, from the start of the struct
 * @param count       how many values the field packs or unpacks (1 for {@code s} and {@code p})
 * @param size        bytes per value (the whole string for {@code s} and {@code p})
 * @param bigEndian   byte order of multi-byte values
 * @param checkFloat  whether {@code f} fails on overflow (portable routine) instead of
 *                    silently becoming infinity (CPython's native cast)
 * @param rule        range checks for integer codes; {@code null} for every other code
 */
record Field(Code code, int offset, int count, int size, boolean bigEndian, boolean checkFloat, IntRule rule) {

    /** Offset of item {@code index} (0-based) of this field. */
    int offsetOf(int index) {
        return offset + index * size;
    }
}
