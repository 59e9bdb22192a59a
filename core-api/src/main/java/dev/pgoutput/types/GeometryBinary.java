package dev.pgoutput.types;

import java.util.ArrayList;
import java.util.List;

/**
 * The binary send forms of the geometric types: float8 coordinates, big-endian; {@code path} and
 * {@code polygon} with a point count.
 */
final class GeometryBinary {

    private GeometryBinary() {
    }

    /** point: Float8 x, Float8 y. */
    static PgPoint point(byte[] b, int off, int len) {
        BinaryValues.need(len, 16);
        return point(b, off);
    }

    /** line: Float8 a, b, c of {@code ax + by + c = 0}. */
    static PgLine line(byte[] b, int off, int len) {
        BinaryValues.need(len, 24);
        return new PgLine(float8(b, off), float8(b, off + 8), float8(b, off + 16));
    }

    /** lseg: two points. */
    static PgLineSegment lineSegment(byte[] b, int off, int len) {
        BinaryValues.need(len, 32);
        return new PgLineSegment(point(b, off), point(b, off + 16));
    }

    /** box: the high corner, then the low one. */
    static PgBox box(byte[] b, int off, int len) {
        BinaryValues.need(len, 32);
        return new PgBox(point(b, off), point(b, off + 16));
    }

    /** circle: the center, then Float8 radius. */
    static PgCircle circle(byte[] b, int off, int len) {
        BinaryValues.need(len, 24);
        return new PgCircle(point(b, off), float8(b, off + 16));
    }

    /** path: a closed flag byte, then the points. */
    static PgPath path(byte[] b, int off, int len) {
        boolean closed = len >= 1 && b[off] != 0;
        return new PgPath(points(b, off + 1, len - 1), closed);
    }

    /** polygon: the points. */
    static PgPolygon polygon(byte[] b, int off, int len) {
        return new PgPolygon(points(b, off, len));
    }

    private static double float8(byte[] b, int off) {
        return Double.longBitsToDouble(BinaryValues.int64(b, off));
    }

    private static PgPoint point(byte[] b, int off) {
        return new PgPoint(float8(b, off), float8(b, off + 8));
    }

    /** Int32 point count, then the points. */
    private static List<PgPoint> points(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated point count");
        }
        int n = BinaryValues.int32(b, off);
        BinaryValues.need(len, 4 + 16 * n);
        List<PgPoint> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(point(b, off + 4 + 16 * i));
        }
        return out;
    }
}
