package dev.pgoutput.types;

/**
 * A range value ({@code int4range}, {@code tstzrange}, a user-defined range, ...). A {@code null} bound is
 * unbounded (PostgreSQL's {@code (,5]}); a bound that is the value {@code infinity} (in a date or timestamp
 * range) is that value, not {@code null}. The bounds have the Java type of the range's subtype.
 *
 * <pre>{@code
 * PgRange<?> r = (PgRange<?>) row.get("during");   // '[2024-01-01,2024-02-01)'
 * r.lower();            // LocalDate 2024-01-01
 * r.upperInclusive();   // false
 * }</pre>
 *
 * @param lower          lower bound, {@code null} when unbounded or empty
 * @param upper          upper bound, {@code null} when unbounded or empty
 * @param lowerInclusive whether the lower bound is included ({@code [})
 * @param upperInclusive whether the upper bound is included ({@code ]})
 * @param empty          whether this is the empty range
 * @param <T>            the Java type of the subtype
 */
public record PgRange<T>(T lower, T upper, boolean lowerInclusive, boolean upperInclusive, boolean empty) {

    /** The empty range. */
    public static <T> PgRange<T> emptyRange() {
        return new PgRange<>(null, null, false, false, true);
    }

    /** PostgreSQL's text form with the bounds' {@code toString()}, for logs. */
    @Override
    public String toString() {
        if (empty) {
            return "empty";
        }
        return (lowerInclusive ? "[" : "(") + (lower == null ? "" : lower) + ","
                + (upper == null ? "" : upper) + (upperInclusive ? "]" : ")");
    }
}
