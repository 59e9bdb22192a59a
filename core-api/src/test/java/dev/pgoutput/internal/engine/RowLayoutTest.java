package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.api.ValueForm;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.types.PgType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowLayoutTest {

    private static final List<ColumnDescriptor> COLUMNS = List.of(
            new ColumnDescriptor("id", PgType.INT8, "int8", -1, true),
            new ColumnDescriptor("name", PgType.TEXT, "text", -1, false),
            new ColumnDescriptor("tenant", PgType.INT4, "int4", -1, true),
            new ColumnDescriptor("body", PgType.TEXT, "text", -1, false));

    private static final RowLayout LAYOUT = RowLayout.of(COLUMNS);

    /** One buffer with a junk byte before each value, as in a message; kinds and texts per column. */
    private static TupleData tuple(byte[] kinds, String... texts) {
        StringBuilder buf = new StringBuilder();
        int[] offsets = new int[texts.length];
        int[] lengths = new int[texts.length];
        for (int i = 0; i < texts.length; i++) {
            buf.append('#');
            offsets[i] = buf.length();
            lengths[i] = texts[i] == null ? 0 : texts[i].length();
            buf.append(texts[i] == null ? "" : texts[i]);
        }
        return new TupleData(buf.toString().getBytes(StandardCharsets.US_ASCII), kinds, offsets, lengths);
    }

    private static byte[] kinds(byte... k) {
        return k;
    }

    @Test
    void findsColumnsByName() {
        Row row = LAYOUT.row(tuple(kinds(TupleData.TEXT, TupleData.TEXT, TupleData.TEXT, TupleData.NULL),
                "7", "Ada", "3", null), null, false);
        assertEquals(7L, row.get("id"));
        assertEquals("Ada", row.get("name"));
        assertEquals(3, row.get("tenant"));
        assertNull(row.get("body"));
        assertTrue(row.containsKey("body"));
        assertFalse(row.containsKey("missing"));
        assertNull(row.get("missing"));
        assertFalse(row.containsKey(1));
        assertNull(row.get(1));
        assertEquals(1, row.indexOf("name"));
        assertEquals(-1, row.indexOf("missing"));
        assertEquals(4, row.size());
    }

    @Test
    void anOldKeyExposesOnlyTheKeyColumns() {
        Row key = LAYOUT.row(tuple(kinds(TupleData.TEXT, TupleData.NULL, TupleData.TEXT, TupleData.NULL),
                "7", null, "3", null), null, true);
        assertEquals(List.of("id", "tenant"), key.columns().stream().map(ColumnDescriptor::name).toList());
        assertEquals(1, key.indexOf("tenant"));
        assertEquals(-1, key.indexOf("name"));
        assertEquals(3, key.value(1));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 7L);
        expected.put("tenant", 3);
        assertEquals(expected, key);
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(key.keySet()));
    }

    @Test
    void formsAndValueBytesAreTheServersAfterTheOldRowFilledUnchangedToast() {
        TupleData old = tuple(kinds(TupleData.TEXT, TupleData.TEXT, TupleData.TEXT, TupleData.TEXT),
                "7", "Ada", "3", "long text");
        TupleData updated = tuple(kinds(TupleData.BINARY, TupleData.NULL, TupleData.TEXT, TupleData.UNCHANGED_TOAST),
                "\0\0\0\0\0\0\0\u0008", null, "4", null);
        Row after = LAYOUT.row(updated, old, false);
        assertEquals(List.of(ValueForm.BINARY, ValueForm.NULL, ValueForm.TEXT, ValueForm.TEXT),
                List.of(after.form(0), after.form(1), after.form(2), after.form(3)));
        assertEquals(8L, after.get("id"));
        assertEquals("long text", after.get("body"));
        assertSame(old.buffer(), after.valueBuffer(3));
        assertEquals("long text", new String(after.valueBuffer(3), after.valueOffset(3), after.valueLength(3),
                StandardCharsets.US_ASCII));
        assertArrayEquals("4".getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(after.valueBuffer(2),
                after.valueOffset(2), after.valueOffset(2) + after.valueLength(2)));
        assertEquals(0, after.valueLength(1));

        Row withoutOld = LAYOUT.row(updated, null, false);
        assertEquals(ValueForm.UNCHANGED_TOAST, withoutOld.form(3));
        assertSame(UnchangedToast.VALUE, withoutOld.get("body"));
    }

    @Test
    void aFallbackOfAnotherWidthIsIgnored() {
        TupleData updated = tuple(kinds(TupleData.TEXT, TupleData.TEXT, TupleData.TEXT, TupleData.UNCHANGED_TOAST),
                "7", "Ada", "3", null);
        TupleData narrow = tuple(kinds(TupleData.TEXT), "7");
        assertSame(UnchangedToast.VALUE, LAYOUT.row(updated, narrow, false).get("body"));
    }

    @Test
    void rowsOfOneRelationShareItsShape() {
        TupleData t = tuple(kinds(TupleData.TEXT, TupleData.TEXT, TupleData.TEXT, TupleData.TEXT), "1", "a", "2", "b");
        assertSame(LAYOUT.row(t, null, false).columns(), LAYOUT.row(t, null, false).columns());
        assertSame(LAYOUT.row(t, null, true).columns(), LAYOUT.row(t, null, true).columns());
        assertEquals(COLUMNS, LAYOUT.columns());
    }

    @Test
    void valuesAreConvertedOnceAndKept() {
        Row row = LAYOUT.row(tuple(kinds(TupleData.TEXT, TupleData.TEXT, TupleData.TEXT, TupleData.TEXT),
                "1", "a", "2", "b"), null, false);
        assertSame(row.get("name"), row.value(1));
        assertEquals("{id=1, name=a, tenant=2, body=b}", row.toString());
    }
}
