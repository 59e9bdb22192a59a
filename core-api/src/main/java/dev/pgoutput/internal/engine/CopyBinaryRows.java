package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.TupleData;
import java.util.function.Consumer;

/**
 * Reads {@code COPY … TO STDOUT (FORMAT binary)} as it arrives, one CopyData message at a time: the file
 * header comes in front of the first row, each row is a field count and then each field's length and
 * bytes (length -1 for NULL) in the type's send form, and a field count of -1 ends the data. Each row
 * becomes a {@link TupleData} of binary values that point into the message, without copying.
 */
final class CopyBinaryRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final int columns;
    private boolean headerRead;
    private boolean ended;

    CopyBinaryRows(int columns) {
        this.columns = columns;
    }

    /** Hands every row in {@code message} to {@code rows}. */
    void read(byte[] message, Consumer<TupleData> rows) {
        int at = 0;
        if (!headerRead) {
            at = header(message);
            headerRead = true;
        }
        while (at < message.length) {
            if (ended) {
                throw malformed("data after its end");
            }
            need(message, at, 2);
            int fields = (short) (((message[at] & 0xFF) << 8) | (message[at + 1] & 0xFF));
            at += 2;
            if (fields == -1) {
                ended = true;
                continue;
            }
            if (fields != columns) {
                throw malformed("a row of " + fields + " fields where " + columns + " were asked for");
            }
            byte[] kinds = new byte[fields];
            int[] offsets = new int[fields];
            int[] lengths = new int[fields];
            for (int i = 0; i < fields; i++) {
                need(message, at, 4);
                int length = int32(message, at);
                at += 4;
                if (length == -1) {
                    kinds[i] = TupleData.NULL;
                } else {
                    if (length < 0) {
                        throw malformed("a field length of " + length);
                    }
                    need(message, at, length);
                    kinds[i] = TupleData.BINARY;
                    offsets[i] = at;
                    lengths[i] = length;
                    at += length;
                }
            }
            rows.accept(new TupleData(message, kinds, offsets, lengths));
        }
    }

    /** Whether the end-of-data marker was read. */
    boolean ended() {
        return ended;
    }

    private static int header(byte[] message) {
        need(message, 0, SIGNATURE.length + 8);
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (message[i] != SIGNATURE[i]) {
                throw malformed("no binary COPY signature");
            }
        }
        int extension = int32(message, SIGNATURE.length + 4);
        if (extension < 0) {
            throw malformed("a header extension of " + extension + " bytes");
        }
        int end = SIGNATURE.length + 8 + extension;
        need(message, 0, end);
        return end;
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static void need(byte[] b, int at, int n) {
        if (n > b.length - at) {
            throw malformed("a message cut short (" + (b.length - at) + " bytes left, " + n + " needed)");
        }
    }

    private static PgOutputException malformed(String what) {
        return new PgOutputException("malformed binary COPY data from the server: " + what);
    }
}
