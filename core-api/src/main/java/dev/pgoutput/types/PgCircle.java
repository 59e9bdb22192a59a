package dev.pgoutput.types;

/**
 * A {@code circle} (text form {@code <(x,y),r>}).
 *
 * @param center the center
 * @param radius the radius
 */
public record PgCircle(PgPoint center, double radius) {
}
