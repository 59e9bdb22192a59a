package dev.pgoutput.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * The binary send forms of {@code date}, {@code time}, {@code timetz}, {@code timestamp} and
 * {@code timestamptz}: days or microseconds counted from PostgreSQL's epoch, 2000-01-01, with the largest and
 * smallest values standing for {@code infinity} and {@code -infinity}.
 */
final class TemporalBinary {

    /** 2000-01-01, PostgreSQL's epoch for dates and timestamps, as days since 1970-01-01. */
    private static final long PG_EPOCH_DAYS = 10_957;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final LocalDateTime PG_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);

    private TemporalBinary() {
    }

    /** date: Int32 days since 2000-01-01. */
    static LocalDate date(int days) {
        if (days == Integer.MAX_VALUE) {
            return LocalDate.MAX;
        }
        if (days == Integer.MIN_VALUE) {
            return LocalDate.MIN;
        }
        return LocalDate.ofEpochDay(PG_EPOCH_DAYS + days);
    }

    /** time: Int64 microseconds of the day; {@code 24:00:00} is {@link LocalTime#MAX}. */
    static LocalTime time(long micros) {
        if (micros == MICROS_PER_DAY) {
            return LocalTime.MAX;
        }
        return LocalTime.ofNanoOfDay(micros * 1000);
    }

    /** timetz: the time, then Int32 zone in seconds west of Greenwich (the opposite sign of an ISO offset). */
    static OffsetTime timeTz(byte[] b, int off) {
        return OffsetTime.of(time(BinaryValues.int64(b, off)), ZoneOffset.ofTotalSeconds(-BinaryValues.int32(b, off + 8)));
    }

    /** timestamp: Int64 microseconds since 2000-01-01 00:00. */
    static LocalDateTime timestamp(long micros) {
        if (micros == Long.MAX_VALUE) {
            return LocalDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return LocalDateTime.MIN;
        }
        long days = Math.floorDiv(micros, MICROS_PER_DAY);
        long micro = Math.floorMod(micros, MICROS_PER_DAY);
        return PG_EPOCH.plusDays(days).plusNanos(micro * 1000);
    }

    /** timestamptz: as timestamp, in UTC. */
    static OffsetDateTime timestampTz(long micros) {
        if (micros == Long.MAX_VALUE) {
            return OffsetDateTime.MAX;
        }
        if (micros == Long.MIN_VALUE) {
            return OffsetDateTime.MIN;
        }
        return OffsetDateTime.of(timestamp(micros), ZoneOffset.UTC);
    }
}
