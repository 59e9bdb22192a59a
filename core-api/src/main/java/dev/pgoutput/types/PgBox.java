package dev.pgoutput.types;

/**
 * A {@code box}, as PostgreSQL normalizes it: upper right corner first (text form {@code (x1,y1),(x2,y2)}).
 *
 * @param high the corner with the larger coordinates
 * @param low  the corner with the smaller coordinates
 */
public record PgBox(PgPoint high, PgPoint low) {
}
