package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.protocol.TupleData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of the rows of one relation, built once when its Relation message arrives and shared by every
 * row of its changes: the exposed columns, where each one sits in the tuple, and the name index that makes
 * {@link Row#get(Object)} one hash lookup instead of a scan of the columns per call. An old-key tuple
 * exposes only the key columns, so the layout keeps a second, key-only shape beside the full one.
 *
 * <pre>{@code
 * RowLayout layout = RowLayout.of(relationColumns);
 * Row after = layout.row(update.newTuple(), update.oldTuple(), false);
 * }</pre>
 *
 * <p>Public only for the benchmarks and the serializer's tests, which build rows as the engine does; the
 * package is not exported.
 */
public final class RowLayout {

    /** The full shape (every column) or the key-only shape of one relation. */
    static final class Shape {
        final List<ColumnDescriptor> columns;
        /** Exposed column to tuple column. */
        final int[] tupleIndex;
        private final Map<String, Integer> byName;

        Shape(List<ColumnDescriptor> columns, int[] tupleIndex) {
            this.columns = columns;
            this.tupleIndex = tupleIndex;
            Map<String, Integer> names = new HashMap<>(columns.size() * 2);
            for (int i = 0; i < columns.size(); i++) {
                // Column names of a table are unique; should a list repeat one, the first wins, as a scan would.
                names.putIfAbsent(columns.get(i).name(), i);
            }
            this.byName = names;
        }

        int indexOf(String name) {
            Integer i = byName.get(name);
            return i == null ? -1 : i;
        }
    }

    private final Shape full;
    private final Shape keys;

    private RowLayout(Shape full, Shape keys) {
        this.full = full;
        this.keys = keys;
    }

    /**
     * The layout of a relation.
     *
     * @param relationColumns every column of the relation, in tuple order
     */
    public static RowLayout of(List<ColumnDescriptor> relationColumns) {
        List<ColumnDescriptor> all = List.copyOf(relationColumns);
        int n = all.size();
        int[] identity = new int[n];
        int keyCount = 0;
        for (int i = 0; i < n; i++) {
            identity[i] = i;
            keyCount += all.get(i).key() ? 1 : 0;
        }
        int[] keyIndex = new int[keyCount];
        ColumnDescriptor[] keyColumns = new ColumnDescriptor[keyCount];
        for (int i = 0, k = 0; i < n; i++) {
            if (all.get(i).key()) {
                keyIndex[k] = i;
                keyColumns[k++] = all.get(i);
            }
        }
        return new RowLayout(new Shape(all, identity), new Shape(List.of(keyColumns), keyIndex));
    }

    /** Every column of the relation, in tuple order. */
    public List<ColumnDescriptor> columns() {
        return full.columns;
    }

    /**
     * A row view over a tuple of this relation.
     *
     * @param tuple    the tuple (its column count must match the relation's)
     * @param fallback a tuple whose values replace unchanged-TOAST columns of {@code tuple} (the old row under
     *                 replica identity FULL), or {@code null}
     * @param keyOnly  whether to expose only the key columns (an old-key tuple)
     */
    public Row row(TupleData tuple, TupleData fallback, boolean keyOnly) {
        TupleData usableFallback = fallback != null && fallback.columnCount() == tuple.columnCount() ? fallback : null;
        return new TupleRow(keyOnly ? keys : full, tuple, usableFallback);
    }
}
