package dev.protokit.tftp.engine;

/**
 * What follows block 65535 on the wire. RFC 1350 does not say: tftpd-hpa, atftpd, dnsmasq and
 * this engine's sender go on with 0; some senders go on with 1, block 0 being only the ACK of
 * the opening. Both map 16-bit wire numbers to absolute blocks (block 1 is the first):
 *
 * <pre>
 *  absolute  1 .. 65535   65536  65537 ..  131071  131072  131073
 *  TO_ZERO   1 .. 65535       0      1 ..   65535       0       1
 *  TO_ONE    1 .. 65535       1      2 ..       1       2       3   (a cycle of 65535)
 * </pre>
 */
enum Rollover {
    TO_ZERO {
        @Override
        int wire(long block) {
            return (int) (block & 0xffff);
        }

        @Override
        long absolute(int wire, long near) {
            return near + (short) (wire - (int) near);
        }
    },
    TO_ONE {
        @Override
        int wire(long block) {
            return block == 0 ? 0 : (int) ((block - 1) % CYCLE) + 1;
        }

        @Override
        long absolute(int wire, long near) {
            if (wire == 0) {
                return NONE; // a TO_ONE sender never numbers a DATA block 0
            }
            int ahead = Math.floorMod(wire - wire(near), CYCLE);
            return near + (ahead <= CYCLE / 2 ? ahead : ahead - CYCLE);
        }
    };

    /** What {@link #absolute} answers for a wire number this numbering never uses. */
    static final long NONE = Long.MIN_VALUE;
    private static final int CYCLE = 65535;

    /** The 16-bit number of absolute {@code block} on the wire. */
    abstract int wire(long block);

    /** The absolute block nearest {@code near} (at least 1) that has this wire number, or {@link #NONE}. */
    abstract long absolute(int wire, long near);
}
