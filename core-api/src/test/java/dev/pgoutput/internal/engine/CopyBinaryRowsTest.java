package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.TupleData;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binary COPY as the server sends it: the header before the first row, rows, the end marker. */
class CopyBinaryRowsTest {

    private static byte[] header(int extension) {
        ByteBuffer b = ByteBuffer.allocate(19 + extension);
        b.put(new byte[] {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0}).putInt(0).putInt(extension);
        return b.array();
    }

    private static byte[] row(byte[]... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(fields.length);
        for (byte[] f : fields) {
            int n = f == null ? -1 : f.length;
            out.writeBytes(ByteBuffer.allocate(4).putInt(n).array());
            if (f != null) {
                out.writeBytes(f);
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void rowsBinaryValuesAndNullsThenTheEnd() {
        CopyBinaryRows reader = new CopyBinaryRows(2);
        List<TupleData> rows = new ArrayList<>();
        reader.read(concat(header(3), row(new byte[] {0, 0, 0, 7}, null)), rows::add);
        reader.read(row(new byte[] {1}, new byte[0]), rows::add);
        assertFalse(reader.ended());
        reader.read(new byte[] {(byte) 0xFF, (byte) 0xFF}, rows::add);
        assertTrue(reader.ended());
        assertEquals(2, rows.size());
        assertEquals(TupleData.BINARY, rows.get(0).kind(0));
        assertArrayEquals(new byte[] {0, 0, 0, 7}, rows.get(0).copyValue(0));
        assertTrue(rows.get(0).isNull(1));
        assertArrayEquals(new byte[0], rows.get(1).copyValue(1), "an empty value is not NULL");
    }

    @Test
    void anEmptyTableIsTheHeaderAndTheEndInOneMessage() {
        CopyBinaryRows reader = new CopyBinaryRows(1);
        List<TupleData> rows = new ArrayList<>();
        reader.read(concat(header(0), new byte[] {(byte) 0xFF, (byte) 0xFF}), rows::add);
        assertTrue(reader.ended());
        assertTrue(rows.isEmpty());
    }

    @Test
    void malformedDataIsRefusedWithTheReason() {
        assertTrue(assertThrows(PgOutputException.class, () -> new CopyBinaryRows(1).read(new byte[32], r -> { }))
                .getMessage().contains("signature"));
        assertTrue(assertThrows(PgOutputException.class,
                () -> new CopyBinaryRows(3).read(concat(header(0), row(new byte[] {1})), r -> { }))
                .getMessage().contains("1 fields where 3"));
        byte[] cut = concat(header(0), row(new byte[] {1, 2, 3}));
        byte[] shorter = java.util.Arrays.copyOf(cut, cut.length - 1);
        assertTrue(assertThrows(PgOutputException.class, () -> new CopyBinaryRows(1).read(shorter, r -> { }))
                .getMessage().contains("cut short"));
    }
}
