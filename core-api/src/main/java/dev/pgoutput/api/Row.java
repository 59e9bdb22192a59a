package dev.pgoutput.api;

import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.types.ValueDecoder;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row of a change event: an immutable map from column name to value, in column order, that converts
 * each value from the message bytes the first time it is read and keeps the result.
 *
 * <p>Besides the {@link Map} view it gives positional access ({@link #column(int)}, {@link #value(int)})
 * and the raw message bytes of each value ({@link #kind(int)}, {@link #rawBuffer(int)},
 * {@link #rawOffset(int)}, {@link #rawLength(int)}) so that serializers can copy a value's text form
 * straight into their output without building a Java object.
 *
 * <p>Rows are made by the engine with {@link #of}; applications only read them.
 */
public final class Row extends AbstractMap<String, Object> {

    private static final Object NOT_DECODED = new Object();

    private final List<ColumnDescriptor> columns;
    private final TupleData tuple;
    private final TupleData fallback;
    private final int[] tupleIndex;
    private final Object[] decoded;
    private EntrySet entrySet;

    private Row(List<ColumnDescriptor> columns, TupleData tuple, TupleData fallback, int[] tupleIndex) {
        this.columns = columns;
        this.tuple = tuple;
        this.fallback = fallback;
        this.tupleIndex = tupleIndex;
        this.decoded = new Object[tupleIndex.length];
        java.util.Arrays.fill(decoded, NOT_DECODED);
    }

    /**
     * Makes a row view. For engines and decoders, not for applications.
     *
     * @param relationColumns every column of the relation, in tuple order
     * @param tuple           the tuple (its column count must match the relation's)
     * @param fallback        a tuple whose values replace unchanged-TOAST columns of {@code tuple} (the old
     *                        row under replica identity FULL), or {@code null}
     * @param keyOnly         whether to expose only the relation's key columns (an old-key tuple)
     */
    public static Row of(List<ColumnDescriptor> relationColumns, TupleData tuple, TupleData fallback,
                         boolean keyOnly) {
        int n = relationColumns.size();
        int[] index;
        List<ColumnDescriptor> exposed;
        if (keyOnly) {
            int keys = 0;
            for (ColumnDescriptor c : relationColumns) {
                keys += c.key() ? 1 : 0;
            }
            index = new int[keys];
            ColumnDescriptor[] cols = new ColumnDescriptor[keys];
            for (int i = 0, k = 0; i < n; i++) {
                if (relationColumns.get(i).key()) {
                    index[k] = i;
                    cols[k++] = relationColumns.get(i);
                }
            }
            exposed = List.of(cols);
        } else {
            index = new int[n];
            for (int i = 0; i < n; i++) {
                index[i] = i;
            }
            exposed = relationColumns;
        }
        TupleData usableFallback = fallback != null && fallback.columnCount() == tuple.columnCount() ? fallback : null;
        return new Row(exposed, tuple, usableFallback, index);
    }

    /** The exposed columns, in order. */
    public List<ColumnDescriptor> columns() {
        return columns;
    }

    /** The descriptor of exposed column {@code i}. */
    public ColumnDescriptor column(int i) {
        return columns.get(i);
    }

    /** The value of exposed column {@code i}, converted on first use. */
    public Object value(int i) {
        Object v = decoded[i];
        if (v == NOT_DECODED) {
            v = convert(i);
            decoded[i] = v;
        }
        return v;
    }

    /**
     * The kind of exposed column {@code i}'s value: {@link TupleData#NULL}, {@link TupleData#UNCHANGED_TOAST},
     * {@link TupleData#TEXT} or {@link TupleData#BINARY}, after unchanged-TOAST columns were filled from the
     * old row where possible.
     */
    public byte kind(int i) {
        return source(i).kind(tupleIndex[i]);
    }

    /** The buffer that holds exposed column {@code i}'s raw bytes (shared: never modify it). */
    public byte[] rawBuffer(int i) {
        return source(i).buffer();
    }

    /** The offset of exposed column {@code i}'s raw bytes in {@link #rawBuffer(int)}. */
    public int rawOffset(int i) {
        return source(i).valueOffset(tupleIndex[i]);
    }

    /** The length of exposed column {@code i}'s raw bytes. */
    public int rawLength(int i) {
        return source(i).valueLength(tupleIndex[i]);
    }

    private TupleData source(int i) {
        int t = tupleIndex[i];
        if (fallback != null && tuple.isUnchangedToast(t) && !fallback.isUnchangedToast(t)) {
            return fallback;
        }
        return tuple;
    }

    private Object convert(int i) {
        TupleData src = source(i);
        int t = tupleIndex[i];
        ColumnDescriptor c = columns.get(i);
        return switch (src.kind(t)) {
            case TupleData.NULL -> null;
            case TupleData.UNCHANGED_TOAST -> UnchangedToast.VALUE;
            case TupleData.BINARY -> ValueDecoder.fromBinary(c.valueType(), src.buffer(), src.valueOffset(t), src.valueLength(t));
            default -> ValueDecoder.fromText(c.valueType(), src.buffer(), src.valueOffset(t), src.valueLength(t));
        };
    }

    private int indexOf(Object key) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int size() {
        return columns.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : value(i);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        EntrySet es = entrySet;
        if (es == null) {
            es = new EntrySet();
            entrySet = es;
        }
        return es;
    }

    private final class EntrySet extends AbstractSet<Entry<String, Object>> {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
            return new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return next < columns.size();
                }

                @Override
                public Entry<String, Object> next() {
                    if (next >= columns.size()) {
                        throw new NoSuchElementException();
                    }
                    int i = next++;
                    return new SimpleImmutableEntry<>(columns.get(i).name(), value(i));
                }
            };
        }

        @Override
        public int size() {
            return columns.size();
        }
    }
}
