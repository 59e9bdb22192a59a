package dev.pgoutput.types;

/**
 * An {@code lseg}: a line segment (text form {@code [(x1,y1),(x2,y2)]}).
 *
 * @param start first end point
 * @param end   second end point
 */
public record PgLineSegment(PgPoint start, PgPoint end) {
}
