package dev.pgoutput.types;

import java.util.List;

/**
 * A {@code polygon} (text form {@code ((x1,y1),...)}).
 *
 * @param points the vertices in order
 */
public record PgPolygon(List<PgPoint> points) {

    /** Copies the points into an immutable list. */
    public PgPolygon {
        points = List.copyOf(points);
    }
}
