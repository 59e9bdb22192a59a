package dev.pgoutput.json;

import dev.pgoutput.api.ColumnDescriptor;
import dev.pgoutput.api.Row;
import dev.pgoutput.internal.engine.RowLayout;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.types.PgType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Row} the way a decoder does: one shared buffer of hand-written value bytes with
 * windows into it. Every value is surrounded by bytes that would corrupt the JSON if the writer read
 * outside its window ({@code 9"\} after a value, so an over-read number gains a digit and an over-read
 * string an unbalanced quote).
 */
final class RowBuilder {

    private static final byte[] GUARD = "9\"\\".getBytes(StandardCharsets.US_ASCII);

    private final List<ColumnDescriptor> columns = new ArrayList<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<Byte> kinds = new ArrayList<>();
    private final List<Integer> offsets = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();

    RowBuilder() {
        buffer.writeBytes(GUARD);
    }

    /** A text-format value. */
    RowBuilder text(String name, int oid, String text) {
        return add(name, oid, false, TupleData.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A text-format value of a replica-identity column. */
    RowBuilder key(String name, int oid, String text) {
        return add(name, oid, true, TupleData.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A text-format value given as raw bytes (for invalid UTF-8). */
    RowBuilder textBytes(String name, int oid, byte[] raw) {
        return add(name, oid, false, TupleData.TEXT, raw);
    }

    /** A binary-format value. */
    RowBuilder binary(String name, int oid, byte[] raw) {
        return add(name, oid, false, TupleData.BINARY, raw);
    }

    /** A SQL NULL. */
    RowBuilder sqlNull(String name, int oid) {
        return add(name, oid, false, TupleData.NULL, new byte[0]);
    }

    /** An unchanged TOAST value that was not sent. */
    RowBuilder unchangedToast(String name, int oid) {
        return add(name, oid, false, TupleData.UNCHANGED_TOAST, new byte[0]);
    }

    private RowBuilder add(String name, int oid, boolean key, byte kind, byte[] raw) {
        String typeName = PgType.nameOf(oid);
        columns.add(new ColumnDescriptor(name, oid, typeName == null ? "custom_" + oid : typeName, -1, key));
        kinds.add(kind);
        offsets.add(buffer.size());
        lengths.add(raw.length);
        buffer.writeBytes(raw);
        buffer.writeBytes(GUARD);
        return this;
    }

    List<ColumnDescriptor> columns() {
        return List.copyOf(columns);
    }

    TupleData tuple() {
        int n = kinds.size();
        byte[] k = new byte[n];
        int[] o = new int[n];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            k[i] = kinds.get(i);
            o[i] = offsets.get(i);
            l[i] = lengths.get(i);
        }
        return new TupleData(buffer.toByteArray(), k, o, l);
    }

    Row row() {
        return RowLayout.of(columns()).row(tuple(), null, false);
    }
}
