package dev.pgoutput.types;

import java.util.ArrayList;
import java.util.List;

/**
 * Text forms of the geometric types: {@code (x,y)}, {@code {a,b,c}}, {@code [(x1,y1),(x2,y2)]},
 * {@code (x1,y1),(x2,y2)}, {@code [(..),..]}/{@code ((..),..)}, {@code <(x,y),r>}. Since PostgreSQL 12 the
 * server prints each float8 in its shortest form that reads back exactly, so parsing the text loses nothing.
 */
final class GeometryText {

    private GeometryText() {
    }

    static Object parse(int oid, String s) {
        double[] v = numbers(s);
        return switch (oid) {
            case PgType.POINT -> {
                expect(v, 2);
                yield new PgPoint(v[0], v[1]);
            }
            case PgType.LINE -> {
                expect(v, 3);
                yield new PgLine(v[0], v[1], v[2]);
            }
            case PgType.LSEG -> {
                expect(v, 4);
                yield new PgLineSegment(new PgPoint(v[0], v[1]), new PgPoint(v[2], v[3]));
            }
            case PgType.BOX -> {
                expect(v, 4);
                yield new PgBox(new PgPoint(v[0], v[1]), new PgPoint(v[2], v[3]));
            }
            case PgType.CIRCLE -> {
                expect(v, 3);
                yield new PgCircle(new PgPoint(v[0], v[1]), v[2]);
            }
            case PgType.PATH -> new PgPath(points(v), s.trim().startsWith("(("));
            case PgType.POLYGON -> new PgPolygon(points(v));
            default -> throw new IllegalArgumentException("not a geometric type: " + oid);
        };
    }

    private static void expect(double[] v, int n) {
        if (v.length != n) {
            throw new IllegalArgumentException("expected " + n + " numbers, found " + v.length);
        }
    }

    private static List<PgPoint> points(double[] v) {
        if ((v.length & 1) != 0) {
            throw new IllegalArgumentException("odd number of coordinates");
        }
        List<PgPoint> points = new ArrayList<>(v.length / 2);
        for (int i = 0; i < v.length; i += 2) {
            points.add(new PgPoint(v[i], v[i + 1]));
        }
        return points;
    }

    /** The numbers in order, whatever brackets surround them. */
    private static double[] numbers(String s) {
        double[] out = new double[8];
        int n = 0;
        int i = 0;
        int len = s.length();
        while (i < len) {
            char c = s.charAt(i);
            if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '<' || c == '>'
                    || c == ',' || c == ' ') {
                i++;
                continue;
            }
            int start = i;
            while (i < len && ",)]}> ".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = Double.parseDouble(s.substring(start, i));
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
