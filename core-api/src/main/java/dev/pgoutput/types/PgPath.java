package dev.pgoutput.types;

import java.util.List;

/**
 * A {@code path}: open ({@code [(x1,y1),...]}) or closed ({@code ((x1,y1),...)}).
 *
 * @param points the points in order
 * @param closed whether the last point connects back to the first
 */
public record PgPath(List<PgPoint> points, boolean closed) {

    /** Copies the points into an immutable list. */
    public PgPath {
        points = List.copyOf(points);
    }
}
