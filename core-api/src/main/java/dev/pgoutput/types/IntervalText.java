package dev.pgoutput.types;

/**
 * {@code interval} text forms: the default {@code IntervalStyle = postgres}
 * ({@code 1 year 2 mons -3 days +04:05:06.5}), {@code postgres_verbose} ({@code @ 1 year 2 mons 4 hours ago})
 * and {@code iso_8601} ({@code P1Y2M-3DT4H5M6.5S}), and PostgreSQL 17's {@code infinity}/{@code -infinity}.
 */
final class IntervalText {

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
    private static final long MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE;

    private IntervalText() {
    }

    static PgInterval parse(String s) {
        if (s.equals("infinity")) {
            return PgInterval.INFINITY;
        }
        if (s.equals("-infinity")) {
            return PgInterval.NEGATIVE_INFINITY;
        }
        if (s.startsWith("P") || s.startsWith("-P")) {
            return iso(s);
        }
        return postgres(s);
    }

    private static PgInterval postgres(String s) {
        String[] tokens = s.trim().split(" +");
        long months = 0;
        long days = 0;
        long micros = 0;
        boolean ago = false;
        int i = 0;
        if (tokens.length > 0 && tokens[0].equals("@")) {
            i++;
        }
        for (; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals("ago")) {
                ago = true;
            } else if (t.indexOf(':') >= 0) {
                micros += clock(t);
            } else {
                if (i + 1 >= tokens.length) {
                    throw new IllegalArgumentException("number without unit");
                }
                String unit = tokens[++i];
                switch (unit) {
                    case "year", "years" -> months += 12 * Long.parseLong(t);
                    case "mon", "mons" -> months += Long.parseLong(t);
                    case "day", "days" -> days += Long.parseLong(t);
                    case "hour", "hours" -> micros += Long.parseLong(t) * MICROS_PER_HOUR;
                    case "min", "mins" -> micros += Long.parseLong(t) * MICROS_PER_MINUTE;
                    case "sec", "secs" -> micros += seconds(t);
                    default -> throw new IllegalArgumentException("unknown interval unit '" + unit + "'");
                }
            }
        }
        if (ago) {
            months = -months;
            days = -days;
            micros = -micros;
        }
        return new PgInterval(Math.toIntExact(months), Math.toIntExact(days), micros);
    }

    /** {@code [+-]H+:MM[:SS[.ffffff]]}. */
    private static long clock(String t) {
        boolean negative = t.startsWith("-");
        int from = negative || t.startsWith("+") ? 1 : 0;
        String[] parts = t.substring(from).split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("bad time in interval");
        }
        long v = Long.parseLong(parts[0]) * MICROS_PER_HOUR + Long.parseLong(parts[1]) * MICROS_PER_MINUTE;
        if (parts.length == 3) {
            v += seconds(parts[2]);
        }
        return negative ? -v : v;
    }

    /** Seconds with up to six fraction digits, as microseconds. */
    private static long seconds(String t) {
        boolean negative = t.startsWith("-");
        String body = negative || t.startsWith("+") ? t.substring(1) : t;
        int dot = body.indexOf('.');
        long whole = Long.parseLong(dot < 0 ? body : body.substring(0, dot));
        long fraction = 0;
        if (dot >= 0) {
            String f = body.substring(dot + 1);
            if (f.isEmpty() || f.length() > 6) {
                throw new IllegalArgumentException("bad fractional seconds");
            }
            fraction = Long.parseLong(f);
            for (int k = f.length(); k < 6; k++) {
                fraction *= 10;
            }
        }
        long v = whole * MICROS_PER_SECOND + fraction;
        return negative ? -v : v;
    }

    private static PgInterval iso(String s) {
        boolean negateAll = s.startsWith("-");
        String body = s.substring(negateAll ? 2 : 1);
        long months = 0;
        long days = 0;
        long micros = 0;
        boolean time = false;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == 'T') {
                time = true;
                start = i + 1;
            } else if (Character.isLetter(c)) {
                String n = body.substring(start, i);
                start = i + 1;
                switch (c) {
                    case 'Y' -> months += 12 * Long.parseLong(n);
                    case 'M' -> {
                        if (time) {
                            micros += Long.parseLong(n) * MICROS_PER_MINUTE;
                        } else {
                            months += Long.parseLong(n);
                        }
                    }
                    case 'W' -> days += 7 * Long.parseLong(n);
                    case 'D' -> days += Long.parseLong(n);
                    case 'H' -> micros += Long.parseLong(n) * MICROS_PER_HOUR;
                    case 'S' -> micros += seconds(n);
                    default -> throw new IllegalArgumentException("unknown ISO-8601 designator " + c);
                }
            }
        }
        if (negateAll) {
            months = -months;
            days = -days;
            micros = -micros;
        }
        return new PgInterval(Math.toIntExact(months), Math.toIntExact(days), micros);
    }
}
