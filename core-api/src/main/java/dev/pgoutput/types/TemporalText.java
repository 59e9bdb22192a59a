package dev.pgoutput.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * Date and time text forms in {@code DateStyle = ISO} (what the replication connection uses):
 * {@code 2024-03-01}, {@code 13:45:00.123456}, {@code 2024-03-01 13:45:00.5}, {@code 2024-03-01
 * 13:45:00+05:30}, years beyond 9999, a trailing {@code BC}, and {@code infinity}/{@code -infinity}.
 *
 * <p>Hand-written rather than a {@code DateTimeFormatter} because PostgreSQL's forms (BC suffix,
 * 5+-digit years, seconds in offsets, {@code 24:00:00}) do not fit one pattern, and because this runs
 * once per temporal value on the hot path.
 */
final class TemporalText {

    private TemporalText() {
    }

    static LocalDate parseDate(String s) {
        if (s.equals("infinity")) {
            return LocalDate.MAX;
        }
        if (s.equals("-infinity")) {
            return LocalDate.MIN;
        }
        boolean bc = s.endsWith(" BC");
        String body = bc ? s.substring(0, s.length() - 3) : s;
        return date(body, 0, body.length(), bc);
    }

    static LocalTime parseTime(String s) {
        return time(s, 0, s.length());
    }

    static LocalDateTime parseTimestamp(String s) {
        if (s.equals("infinity")) {
            return LocalDateTime.MAX;
        }
        if (s.equals("-infinity")) {
            return LocalDateTime.MIN;
        }
        boolean bc = s.endsWith(" BC");
        int end = bc ? s.length() - 3 : s.length();
        int space = s.indexOf(' ');
        if (space < 0 || space >= end) {
            throw new IllegalArgumentException("expected 'date time'");
        }
        LocalTime t = time(s, space + 1, end);
        return LocalDateTime.of(date(s, 0, space, bc), t);
    }

    /** Returns the value in UTC, whatever offset the server used. */
    static OffsetDateTime parseTimestampTz(String s) {
        if (s.equals("infinity")) {
            return OffsetDateTime.MAX;
        }
        if (s.equals("-infinity")) {
            return OffsetDateTime.MIN;
        }
        boolean bc = s.endsWith(" BC");
        int end = bc ? s.length() - 3 : s.length();
        int space = s.indexOf(' ');
        if (space < 0 || space >= end) {
            throw new IllegalArgumentException("expected 'date time+offset'");
        }
        int sign = -1;
        for (int i = end - 1; i > space; i--) {
            char c = s.charAt(i);
            if (c == '+' || c == '-') {
                sign = i;
                break;
            }
        }
        if (sign < 0) {
            throw new IllegalArgumentException("missing UTC offset");
        }
        ZoneOffset offset = offset(s, sign, end);
        LocalDateTime local = LocalDateTime.of(date(s, 0, space, bc), time(s, space + 1, sign));
        return OffsetDateTime.of(local, offset).withOffsetSameInstant(ZoneOffset.UTC);
    }

    /** {@code 13:45:00.5+05:30}: the local time and the offset as sent. */
    static OffsetTime parseTimeTz(String s) {
        int sign = -1;
        for (int i = s.length() - 1; i > 0; i--) {
            char c = s.charAt(i);
            if (c == '+' || c == '-') {
                sign = i;
                break;
            }
        }
        if (sign < 0) {
            throw new IllegalArgumentException("missing UTC offset");
        }
        return OffsetTime.of(time(s, 0, sign), offset(s, sign, s.length()));
    }

    private static LocalDate date(String s, int from, int to, boolean bc) {
        int d1 = s.indexOf('-', from + 1);
        int d2 = d1 < 0 ? -1 : s.indexOf('-', d1 + 1);
        if (d1 < 0 || d2 < 0 || d2 >= to) {
            throw new IllegalArgumentException("expected YYYY-MM-DD");
        }
        int year = digits(s, from, d1);
        int month = digits(s, d1 + 1, d2);
        int day = digits(s, d2 + 1, to);
        // Year 1 BC is proleptic year 0, 2 BC is -1, and so on.
        return LocalDate.of(bc ? 1 - year : year, month, day);
    }

    private static LocalTime time(String s, int from, int to) {
        if (to - from < 8 || s.charAt(from + 2) != ':' || s.charAt(from + 5) != ':') {
            throw new IllegalArgumentException("expected HH:MM:SS");
        }
        int hour = digits(s, from, from + 2);
        int minute = digits(s, from + 3, from + 5);
        int second = digits(s, from + 6, from + 8);
        int nanos = 0;
        if (to > from + 8) {
            if (s.charAt(from + 8) != '.' || to - from - 9 > 9 || to == from + 9) {
                throw new IllegalArgumentException("bad fractional seconds");
            }
            nanos = digits(s, from + 9, to);
            for (int i = to - from - 9; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (hour == 24 && minute == 0 && second == 0 && nanos == 0) {
            // PostgreSQL allows 24:00:00 as the end of a day; java.time cannot hold it.
            return LocalTime.MAX;
        }
        return LocalTime.of(hour, minute, second, nanos);
    }

    private static ZoneOffset offset(String s, int sign, int to) {
        int hours;
        int minutes = 0;
        int seconds = 0;
        int c1 = s.indexOf(':', sign);
        if (c1 < 0 || c1 >= to) {
            hours = digits(s, sign + 1, to);
        } else {
            hours = digits(s, sign + 1, c1);
            int c2 = s.indexOf(':', c1 + 1);
            if (c2 < 0 || c2 >= to) {
                minutes = digits(s, c1 + 1, to);
            } else {
                minutes = digits(s, c1 + 1, c2);
                seconds = digits(s, c2 + 1, to);
            }
        }
        int total = hours * 3600 + minutes * 60 + seconds;
        return ZoneOffset.ofTotalSeconds(s.charAt(sign) == '-' ? -total : total);
    }

    private static int digits(String s, int from, int to) {
        if (to <= from || to - from > 9) {
            throw new IllegalArgumentException("expected digits");
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new IllegalArgumentException("expected digits");
            }
            v = v * 10 + d;
        }
        return v;
    }
}
