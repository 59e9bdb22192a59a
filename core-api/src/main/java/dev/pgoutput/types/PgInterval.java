package dev.pgoutput.types;

/**
 * An {@code interval} exactly as PostgreSQL stores it: months, days and microseconds are kept apart
 * because their lengths are not fixed (a month is 28 to 31 days, a day 23 to 25 hours across DST).
 * {@code java.time.Period} plus {@code Duration} could hold it, but not as one value.
 *
 * <pre>{@code
 * PgInterval i = (PgInterval) row.get("wait");   // '1 year 2 mons 3 days 04:05:06.5'
 * i.months();        // 14
 * i.days();          // 3
 * i.microseconds();  // 14_706_500_000L
 * i.toIso8601();     // "P1Y2M3DT4H5M6.5S"
 * }</pre>
 *
 * @param months       years and months, as months
 * @param days         days
 * @param microseconds hours, minutes and seconds, as microseconds
 */
public record PgInterval(int months, int days, long microseconds) {

    /** PostgreSQL 17's {@code infinity} interval. */
    public static final PgInterval INFINITY = new PgInterval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
    /** PostgreSQL 17's {@code -infinity} interval. */
    public static final PgInterval NEGATIVE_INFINITY = new PgInterval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);

    /** Average days per month Debezium uses to turn an interval into one number of microseconds. */
    private static final double DAYS_PER_MONTH = 365.25 / 12;
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** Whether this is {@link #INFINITY} or {@link #NEGATIVE_INFINITY}. */
    public boolean isInfinite() {
        return equals(INFINITY) || equals(NEGATIVE_INFINITY);
    }

    /**
     * The interval as one approximate number of microseconds, as Debezium's
     * {@code interval.handling.mode=numeric} does: a month counts 30.4375 days, a day 24 hours.
     */
    public long toApproximateMicros() {
        if (equals(INFINITY)) {
            return Long.MAX_VALUE;
        }
        if (equals(NEGATIVE_INFINITY)) {
            return Long.MIN_VALUE;
        }
        return Math.round(months * DAYS_PER_MONTH * MICROS_PER_DAY) + days * MICROS_PER_DAY + microseconds;
    }

    /**
     * ISO-8601 duration text ({@code P1Y2M3DT4H5M6.5S}, {@code PT0S} for zero), lossless: each part keeps
     * its own sign as PostgreSQL's {@code iso_8601} interval style writes it. {@code infinity} and
     * {@code -infinity} stay those words.
     */
    public String toIso8601() {
        if (equals(INFINITY)) {
            return "infinity";
        }
        if (equals(NEGATIVE_INFINITY)) {
            return "-infinity";
        }
        StringBuilder sb = new StringBuilder("P");
        int years = months / 12;
        int mons = months % 12;
        if (years != 0) {
            sb.append(years).append('Y');
        }
        if (mons != 0) {
            sb.append(mons).append('M');
        }
        if (days != 0) {
            sb.append(days).append('D');
        }
        if (microseconds != 0) {
            sb.append('T');
            long hours = microseconds / 3_600_000_000L;
            long rest = microseconds % 3_600_000_000L;
            long minutes = rest / 60_000_000L;
            long micros = rest % 60_000_000L;
            if (hours != 0) {
                sb.append(hours).append('H');
            }
            if (minutes != 0) {
                sb.append(minutes).append('M');
            }
            if (micros != 0) {
                if (micros < 0) {
                    sb.append('-');
                    micros = -micros;
                }
                sb.append(micros / 1_000_000L);
                long fraction = micros % 1_000_000L;
                if (fraction != 0) {
                    String f = Long.toString(1_000_000L + fraction).substring(1);
                    int end = f.length();
                    while (f.charAt(end - 1) == '0') {
                        end--;
                    }
                    sb.append('.').append(f, 0, end);
                }
                sb.append('S');
            }
        }
        if (sb.length() == 1) {
            sb.append("T0S");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return toIso8601();
    }
}
