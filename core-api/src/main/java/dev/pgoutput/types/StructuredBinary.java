package dev.pgoutput.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary send forms of the types made of other values: arrays, composites, ranges, multiranges and
 * {@code hstore}. Their parts are length-prefixed and converted with the part's own type.
 */
final class StructuredBinary {

    private static final int RANGE_EMPTY = 0x01;
    private static final int RANGE_LB_INC = 0x02;
    private static final int RANGE_UB_INC = 0x04;
    private static final int RANGE_LB_INF = 0x08;
    private static final int RANGE_UB_INF = 0x10;

    private StructuredBinary() {
    }

    /**
     * array: Int32 ndim, Int32 has-nulls flag, Int32 element OID, ndim pairs of (Int32 length, Int32 lower
     * bound), then each element as Int32 length (-1 = NULL) and bytes, last dimension fastest.
     */
    static List<Object> array(ValueType element, byte[] b, int off, int len) {
        if (len < 12) {
            throw new IllegalArgumentException("truncated array header");
        }
        int ndim = BinaryValues.int32(b, off);
        if (ndim < 0 || ndim > 6 || len < 12 + 8 * ndim) {
            throw new IllegalArgumentException("bad array dimensions");
        }
        if (ndim == 0) {
            return List.of();
        }
        int[] dims = new int[ndim];
        for (int d = 0; d < ndim; d++) {
            dims[d] = BinaryValues.int32(b, off + 12 + 8 * d);
            if (dims[d] < 0) {
                throw new IllegalArgumentException("negative array length");
            }
        }
        int[] pos = {off + 12 + 8 * ndim};
        List<Object> result = arrayLevel(element, b, pos, off + len, dims, 0);
        if (pos[0] != off + len) {
            throw new IllegalArgumentException("junk after array");
        }
        return result;
    }

    private static List<Object> arrayLevel(ValueType element, byte[] b, int[] pos, int end, int[] dims, int level) {
        List<Object> items = new ArrayList<>(dims[level]);
        for (int i = 0; i < dims[level]; i++) {
            if (level + 1 < dims.length) {
                items.add(arrayLevel(element, b, pos, end, dims, level + 1));
            } else {
                items.add(item(element, b, pos, end));
            }
        }
        return Collections.unmodifiableList(items);
    }

    /** One length-prefixed item (-1 = NULL) at {@code pos[0]}, converted; advances {@code pos[0]}. */
    private static Object item(ValueType type, byte[] b, int[] pos, int end) {
        if (pos[0] + 4 > end) {
            throw new IllegalArgumentException("truncated item length");
        }
        int n = BinaryValues.int32(b, pos[0]);
        pos[0] += 4;
        if (n == -1) {
            return null;
        }
        if (n < 0 || pos[0] + n > end) {
            throw new IllegalArgumentException("bad item length " + n);
        }
        Object v = ValueDecoder.fromBinary(type, b, pos[0], n);
        pos[0] += n;
        return v;
    }

    /** record: Int32 attribute count, then per attribute Int32 type OID, Int32 length (-1 = NULL), bytes. */
    static Map<String, Object> composite(ValueType type, byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated record");
        }
        int n = BinaryValues.int32(b, off);
        if (n != type.fieldNames().size()) {
            throw new IllegalArgumentException("expected " + type.fieldNames().size() + " attributes, found " + n);
        }
        int[] pos = {off + 4};
        int end = off + len;
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            pos[0] += 4; // the attribute's type OID: the catalog already told us
            out.put(type.fieldNames().get(i), item(type.fieldTypes().get(i), b, pos, end));
        }
        if (pos[0] != end) {
            throw new IllegalArgumentException("junk after record");
        }
        return Collections.unmodifiableMap(out);
    }

    /** range: a flags byte, then each finite bound as Int32 length and the subtype's binary form. */
    static PgRange<Object> range(ValueType subtype, byte[] b, int off, int len) {
        if (len < 1) {
            throw new IllegalArgumentException("truncated range");
        }
        int flags = b[off] & 0xFF;
        if ((flags & RANGE_EMPTY) != 0) {
            return PgRange.emptyRange();
        }
        int[] pos = {off + 1};
        int end = off + len;
        Object lower = (flags & RANGE_LB_INF) != 0 ? null : item(subtype, b, pos, end);
        Object upper = (flags & RANGE_UB_INF) != 0 ? null : item(subtype, b, pos, end);
        if (pos[0] != end) {
            throw new IllegalArgumentException("junk after range");
        }
        return new PgRange<>(lower, upper, (flags & RANGE_LB_INC) != 0, (flags & RANGE_UB_INC) != 0, false);
    }

    /** multirange: Int32 range count, then each range as Int32 length and the range's binary form. */
    static List<PgRange<Object>> multirange(ValueType range, byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated multirange");
        }
        int n = BinaryValues.int32(b, off);
        int pos = off + 4;
        int end = off + len;
        List<PgRange<Object>> out = new ArrayList<>(Math.max(0, Math.min(n, len / 5)));
        for (int i = 0; i < n; i++) {
            if (pos + 4 > end) {
                throw new IllegalArgumentException("truncated multirange");
            }
            int rlen = BinaryValues.int32(b, pos);
            pos += 4;
            if (rlen < 0 || pos + rlen > end) {
                throw new IllegalArgumentException("bad range length");
            }
            out.add(range(range.element(), b, pos, rlen));
            pos += rlen;
        }
        if (pos != end) {
            throw new IllegalArgumentException("junk after multirange");
        }
        return Collections.unmodifiableList(out);
    }

    /** hstore: Int32 pair count, then per pair Int32 key length, key, Int32 value length (-1 = NULL), value. */
    static Map<String, String> hstore(byte[] b, int off, int len) {
        if (len < 4) {
            throw new IllegalArgumentException("truncated hstore");
        }
        int n = BinaryValues.int32(b, off);
        int pos = off + 4;
        int end = off + len;
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            int klen = checkedLength(b, pos, end, false);
            String key = BinaryValues.utf8(b, pos + 4, klen);
            pos += 4 + klen;
            int vlen = checkedLength(b, pos, end, true);
            pos += 4;
            out.put(key, vlen < 0 ? null : BinaryValues.utf8(b, pos, vlen));
            pos += Math.max(vlen, 0);
        }
        if (pos != end) {
            throw new IllegalArgumentException("junk after hstore");
        }
        return Collections.unmodifiableMap(out);
    }

    private static int checkedLength(byte[] b, int pos, int end, boolean nullable) {
        if (pos + 4 > end) {
            throw new IllegalArgumentException("truncated length");
        }
        int n = BinaryValues.int32(b, pos);
        if ((n == -1 && nullable)) {
            return n;
        }
        if (n < 0 || pos + 4 + n > end) {
            throw new IllegalArgumentException("bad length " + n);
        }
        return n;
    }
}
