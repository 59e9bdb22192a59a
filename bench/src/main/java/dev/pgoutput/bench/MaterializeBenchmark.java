package dev.pgoutput.bench;

import dev.pgoutput.api.Row;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.Update;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (b) Decode and materialise: every message decoded, every row of every change built with the engine's
 * {@link dev.pgoutput.internal.engine.RowLayout} of the Relation seen before it, and every value of every row converted to its Java
 * value ({@link Row#value(int)}) — what an application that touches every column pays.
 * {@link #materializeByName} does the same through {@code row.get(columnName)}, as applications read rows;
 * the difference between the two is the cost of finding a column by its name.
 */
public class MaterializeBenchmark extends BenchmarkSettings {

    private Tables tables;

    /** Decodes and materialises {@link #BATCH} messages. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void materialize(Blackhole bh) {
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            step(i, bh);
            if (++i == messages.length) {
                i = 0;
            }
        }
        cursor = i;
    }

    /** Decodes {@link #BATCH} messages and reads every value of every row by its column's name. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void materializeByName(Blackhole bh) {
        int i = cursor;
        for (int k = 0; k < BATCH; k++) {
            step(i, bh, true);
            if (++i == messages.length) {
                i = 0;
            }
        }
        cursor = i;
    }

    private Object step(int i, Blackhole bh) {
        return step(i, bh, false);
    }

    /** Handles message {@code i}; returns the first value of the first row it made, or {@code null}. */
    private Object step(int i, Blackhole bh, boolean byName) {
        PgOutputMessage m = pgoutput.decode(messages[i], lsns[i]);
        return switch (m) {
            case Insert x -> readAll(tables.after(x), bh, byName);
            case Update x -> {
                readAll(tables.before(x), bh, byName);
                yield readAll(tables.after(x), bh, byName);
            }
            case Delete x -> readAll(tables.before(x), bh, byName);
            case Relation r -> {
                tables.onRelation(r);
                yield null;
            }
            default -> {
                bh.consume(m);
                yield null;
            }
        };
    }

    private static Object readAll(Row row, Blackhole bh, boolean byName) {
        if (row == null) {
            return null;
        }
        for (int c = 0, n = row.size(); c < n; c++) {
            bh.consume(byName ? row.get(row.column(c).name()) : row.value(c));
        }
        return row.size() == 0 ? null : row.value(0);
    }

    @Override
    protected void check() {
        tables = new Tables();
        Blackhole bh = Checks.blackhole();
        int rows = 0;
        Object firstKey = null;
        for (int i = 0; i < messages.length; i++) {
            Object key = step(i, bh);
            rows += "IUD".indexOf(loaded.type(i)) >= 0 ? 1 : 0;
            firstKey = firstKey == null ? key : firstKey;
        }
        Checks.expectRowChanges(this, rows);
        if (!(firstKey instanceof Number n) || n.longValue() != 1) {
            throw new IllegalStateException(decoder + " on " + corpus + ": first row's key is " + firstKey + ", expected 1");
        }
        tables = new Tables();
    }
}
