package dev.pgoutput.types;

/**
 * A {@code point}, and the points of the other geometric types.
 *
 * @param x x coordinate
 * @param y y coordinate
 */
public record PgPoint(double x, double y) {
}
