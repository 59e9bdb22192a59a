package dev.pgoutput.api;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A row of a change event: an immutable map from column name to value, in column order, that converts
 * each value from the message bytes the first time it is read and keeps the result.
 *
 * <pre>{@code
 * Map<String, Object> after = event.after();
 * Object name = after.get("name");                 // converted now, once
 * if (after instanceof Row row) {
 *     int i = row.indexOf("doc");
 *     if (row.form(i) == ValueForm.TEXT) {          // the server's text, straight from the message
 *         out.write(row.valueBuffer(i), row.valueOffset(i), row.valueLength(i));
 *     }
 * }
 * }</pre>
 *
 * <p>Besides the {@link java.util.Map} view it gives positional access ({@link #column(int)},
 * {@link #value(int)}, {@link #indexOf(String)}) and each value as the server sent it: its
 * {@link #form(int) form} and its bytes ({@link #valueBuffer(int)}, {@link #valueOffset(int)},
 * {@link #valueLength(int)}), so that a serializer can copy a value's text straight into its output without
 * building a Java object. Finding a column by name costs one hash lookup in an index that all rows of a
 * relation share.
 *
 * <p>Rows are made by the engine (its implementation is internal); applications only read them.
 */
public abstract class Row extends AbstractMap<String, Object> {

    private EntrySet entrySet;

    /** For the engine's implementation. */
    protected Row() {
    }

    /** The exposed columns, in order: every column of the table, or only its key columns for an old key. */
    public abstract List<ColumnDescriptor> columns();

    /** The descriptor of exposed column {@code i}. */
    public ColumnDescriptor column(int i) {
        return columns().get(i);
    }

    /** The position of the column named {@code name}, or -1 when this row has no such column. */
    public abstract int indexOf(String name);

    /**
     * The value of exposed column {@code i}, converted on first use: {@code null} for SQL NULL,
     * {@link UnchangedToast#VALUE} for an unchanged TOASTed value that was not sent, otherwise the Java value
     * of the README's type table.
     *
     * @throws dev.pgoutput.types.ValueFormatException when the bytes are not a valid value of the type
     */
    public abstract Object value(int i);

    /**
     * The form of exposed column {@code i}'s value, after unchanged-TOAST columns were filled from the old row
     * where possible.
     */
    public abstract ValueForm form(int i);

    /**
     * The array that holds exposed column {@code i}'s value bytes (shared with the message: never modify it).
     * Only meaningful for {@link ValueForm#TEXT} and {@link ValueForm#BINARY}.
     */
    public abstract byte[] valueBuffer(int i);

    /** Where exposed column {@code i}'s value bytes start in {@link #valueBuffer(int)}. */
    public abstract int valueOffset(int i);

    /** How many value bytes exposed column {@code i} has; 0 for {@link ValueForm#NULL} and unchanged TOAST. */
    public abstract int valueLength(int i);

    @Override
    public final int size() {
        return columns().size();
    }

    @Override
    public final boolean containsKey(Object key) {
        return key instanceof String name && indexOf(name) >= 0;
    }

    @Override
    public final Object get(Object key) {
        int i = key instanceof String name ? indexOf(name) : -1;
        return i < 0 ? null : value(i);
    }

    @Override
    public final Set<Entry<String, Object>> entrySet() {
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
                    return next < size();
                }

                @Override
                public Entry<String, Object> next() {
                    if (next >= size()) {
                        throw new NoSuchElementException();
                    }
                    int i = next++;
                    return new SimpleImmutableEntry<>(column(i).name(), value(i));
                }
            };
        }

        @Override
        public int size() {
            return Row.this.size();
        }
    }
}
