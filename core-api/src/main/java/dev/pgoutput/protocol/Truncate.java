package dev.pgoutput.protocol;

import java.util.List;

/**
 * Truncate ({@code 'T'}).
 *
 * @param xid         transaction id inside a streamed block, otherwise 0
 * @param options     bit 1 = CASCADE, bit 2 = RESTART IDENTITY
 * @param relationIds the truncated tables' OIDs
 */
public record Truncate(int xid, int options, List<Integer> relationIds) implements PgOutputMessage {

    /** Option bit: TRUNCATE … CASCADE. */
    public static final int CASCADE = 1;
    /** Option bit: TRUNCATE … RESTART IDENTITY. */
    public static final int RESTART_IDENTITY = 2;

    /** Makes an immutable copy of the relation id list. */
    public Truncate {
        relationIds = List.copyOf(relationIds);
    }

    @Override
    public char typeCode() {
        return 'T';
    }
}
