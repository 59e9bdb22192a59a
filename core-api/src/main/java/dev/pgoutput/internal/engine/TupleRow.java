package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.api.ValueForm;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.types.ValueDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * The engine's {@link Row}: a view over a decoded tuple whose values stay windows into the message bytes
 * until somebody reads them. The shape (columns, tuple positions, name index) belongs to the relation's
 * {@link RowLayout} and is shared; a row adds only its tuples and the values converted so far.
 */
final class TupleRow extends Row {

    private static final Object NOT_DECODED = new Object();

    private final RowLayout.Shape shape;
    private final TupleData tuple;
    private final TupleData fallback;
    private final Object[] decoded;

    TupleRow(RowLayout.Shape shape, TupleData tuple, TupleData fallback) {
        this.shape = shape;
        this.tuple = tuple;
        this.fallback = fallback;
        this.decoded = new Object[shape.tupleIndex.length];
        Arrays.fill(decoded, NOT_DECODED);
    }

    @Override
    public List<ColumnDescriptor> columns() {
        return shape.columns;
    }

    @Override
    public ColumnDescriptor column(int i) {
        return shape.columns.get(i);
    }

    @Override
    public int indexOf(String name) {
        return shape.indexOf(name);
    }

    @Override
    public Object value(int i) {
        Object v = decoded[i];
        if (v == NOT_DECODED) {
            v = convert(i);
            decoded[i] = v;
        }
        return v;
    }

    @Override
    public ValueForm form(int i) {
        return switch (source(i).kind(shape.tupleIndex[i])) {
            case TupleData.NULL -> ValueForm.NULL;
            case TupleData.UNCHANGED_TOAST -> ValueForm.UNCHANGED_TOAST;
            case TupleData.BINARY -> ValueForm.BINARY;
            default -> ValueForm.TEXT;
        };
    }

    @Override
    public byte[] valueBuffer(int i) {
        return source(i).buffer();
    }

    @Override
    public int valueOffset(int i) {
        return source(i).valueOffset(shape.tupleIndex[i]);
    }

    @Override
    public int valueLength(int i) {
        return source(i).valueLength(shape.tupleIndex[i]);
    }

    /** The tuple that holds exposed column {@code i}'s value: the old row's when the new one has unchanged TOAST. */
    private TupleData source(int i) {
        int t = shape.tupleIndex[i];
        if (fallback != null && tuple.isUnchangedToast(t) && !fallback.isUnchangedToast(t)) {
            return fallback;
        }
        return tuple;
    }

    private Object convert(int i) {
        TupleData src = source(i);
        int t = shape.tupleIndex[i];
        ColumnDescriptor c = shape.columns.get(i);
        return switch (src.kind(t)) {
            case TupleData.NULL -> null;
            case TupleData.UNCHANGED_TOAST -> UnchangedToast.VALUE;
            case TupleData.BINARY -> ValueDecoder.fromBinary(c.valueType(), src.buffer(), src.valueOffset(t), src.valueLength(t));
            default -> ValueDecoder.fromText(c.valueType(), src.buffer(), src.valueOffset(t), src.valueLength(t));
        };
    }
}
