package dev.pgoutput.types;

/**
 * A {@code line}: the infinite line {@code a*x + b*y + c = 0} (text form {@code {a,b,c}}).
 *
 * @param a coefficient of x
 * @param b coefficient of y
 * @param c constant
 */
public record PgLine(double a, double b, double c) {
}
