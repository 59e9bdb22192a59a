package dev.pgoutput.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * ISO-8601 text for the date and time values of a row, written into a caller's {@code char[]}.
 *
 * <p>Not {@code toString()}: {@link LocalTime#toString()} drops zero seconds ({@code "13:45"}) and pads
 * fractions to 3, 6 or 9 digits. Here seconds are always written and the fraction keeps exactly its
 * significant digits, as PostgreSQL prints it ({@code 13:45:00}, {@code 13:45:00.5},
 * {@code 13:45:00.000001}), so microseconds are never lost or invented. Dates follow
 * {@link LocalDate#toString()} (years beyond 9999 get a {@code +}, BC years are astronomical: 1 BC is
 * {@code 0000}, 2 BC is {@code -0001}), so {@code java.time} parses every value back.
 *
 * <p>PostgreSQL's {@code infinity} and {@code -infinity}, which the core maps to the {@code MAX} and
 * {@code MIN} constants, become the strings {@code "infinity"} and {@code "-infinity"}; {@code 24:00:00},
 * mapped to {@link LocalTime#MAX}, becomes {@code "24:00:00"} again.
 */
final class IsoTemporal {

    /** Room for the longest form: {@code +999999999-12-31T23:59:59.999999999Z} or a time with an offset. */
    static final int MAX_LENGTH = 48;

    private IsoTemporal() {
    }

    /**
     * Writes the ISO form of a {@code java.time} value.
     *
     * @return the number of chars written, or -1 when {@code value} is not a supported type or cannot be
     *         shown in UTC (the caller then falls back to {@code toString()})
     */
    static int format(Object value, char[] out) {
        if (value instanceof LocalDate d) {
            if (d.equals(LocalDate.MAX)) {
                return put(out, 0, "infinity");
            }
            if (d.equals(LocalDate.MIN)) {
                return put(out, 0, "-infinity");
            }
            return date(d, out, 0);
        }
        if (value instanceof LocalDateTime t) {
            if (t.equals(LocalDateTime.MAX)) {
                return put(out, 0, "infinity");
            }
            if (t.equals(LocalDateTime.MIN)) {
                return put(out, 0, "-infinity");
            }
            return dateTime(t, out, 0);
        }
        if (value instanceof OffsetDateTime t) {
            if (t.equals(OffsetDateTime.MAX)) {
                return put(out, 0, "infinity");
            }
            if (t.equals(OffsetDateTime.MIN)) {
                return put(out, 0, "-infinity");
            }
            return utc(t, out);
        }
        if (value instanceof LocalTime t) {
            return time(t, out, 0);
        }
        if (value instanceof Instant i) {
            try {
                return utc(OffsetDateTime.ofInstant(i, ZoneOffset.UTC), out);
            } catch (DateTimeException e) {
                return -1; // beyond LocalDateTime's range (Instant.MAX)
            }
        }
        if (value instanceof ZonedDateTime z) {
            return utc(z.toOffsetDateTime(), out);
        }
        if (value instanceof OffsetTime t) {
            int p = time(t.toLocalTime(), out, 0);
            return put(out, p, t.getOffset().getId());
        }
        return -1;
    }

    private static int utc(OffsetDateTime t, char[] out) {
        LocalDateTime local;
        try {
            local = t.getOffset().equals(ZoneOffset.UTC) ? t.toLocalDateTime()
                    : t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeException e) {
            return -1; // the UTC form would leave java.time's year range
        }
        int p = dateTime(local, out, 0);
        out[p++] = 'Z';
        return p;
    }

    private static int dateTime(LocalDateTime t, char[] out, int pos) {
        int p = date(t.toLocalDate(), out, pos);
        out[p++] = 'T';
        return time(t.toLocalTime(), out, p);
    }

    private static int date(LocalDate d, char[] out, int pos) {
        int p = pos;
        int year = d.getYear();
        if (year < 0) {
            out[p++] = '-';
        } else if (year > 9999) {
            out[p++] = '+';
        }
        p = digits(out, p, Math.abs(year), 4);
        out[p++] = '-';
        p = digits(out, p, d.getMonthValue(), 2);
        out[p++] = '-';
        return digits(out, p, d.getDayOfMonth(), 2);
    }

    private static int time(LocalTime t, char[] out, int pos) {
        if (t.equals(LocalTime.MAX)) {
            // The core's stand-in for PostgreSQL's 24:00:00, which java.time cannot hold; PostgreSQL's
            // microsecond precision never produces 23:59:59.999999999 itself.
            return put(out, pos, "24:00:00");
        }
        int p = digits(out, pos, t.getHour(), 2);
        out[p++] = ':';
        p = digits(out, p, t.getMinute(), 2);
        out[p++] = ':';
        p = digits(out, p, t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            int width = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                width--;
            }
            out[p++] = '.';
            p = digits(out, p, nanos, width);
        }
        return p;
    }

    /** Writes a non-negative number, left-padded with zeros to at least {@code minWidth} digits. */
    private static int digits(char[] out, int pos, int value, int minWidth) {
        int width = 1;
        for (int v = value; v >= 10; v /= 10) {
            width++;
        }
        width = Math.max(width, minWidth);
        int v = value;
        for (int i = pos + width - 1; i >= pos; i--) {
            out[i] = (char) ('0' + v % 10);
            v /= 10;
        }
        return pos + width;
    }

    private static int put(char[] out, int pos, String s) {
        s.getChars(0, s.length(), out, pos);
        return pos + s.length();
    }
}
