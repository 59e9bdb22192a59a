package dev.pgoutput.protocol;

import java.time.Instant;

/**
 * PostgreSQL timestamps on the wire: microseconds since 2000-01-01 00:00:00 UTC.
 */
public final class PgEpoch {

    /** Seconds between the Unix epoch and the PostgreSQL epoch. */
    public static final long UNIX_TO_PG_SECONDS = 946_684_800L;

    private static final long UNIX_TO_PG_MICROS = UNIX_TO_PG_SECONDS * 1_000_000L;

    private PgEpoch() {
    }

    /** Microseconds since the PostgreSQL epoch to microseconds since the Unix epoch. */
    public static long toUnixMicros(long pgMicros) {
        return pgMicros + UNIX_TO_PG_MICROS;
    }

    /** Microseconds since the PostgreSQL epoch to milliseconds since the Unix epoch. */
    public static long toUnixMillis(long pgMicros) {
        return Math.floorDiv(toUnixMicros(pgMicros), 1000L);
    }

    /** Microseconds since the PostgreSQL epoch to an {@link Instant}. */
    public static Instant toInstant(long pgMicros) {
        long unixMicros = toUnixMicros(pgMicros);
        return Instant.ofEpochSecond(Math.floorDiv(unixMicros, 1_000_000L), Math.floorMod(unixMicros, 1_000_000L) * 1000L);
    }
}
