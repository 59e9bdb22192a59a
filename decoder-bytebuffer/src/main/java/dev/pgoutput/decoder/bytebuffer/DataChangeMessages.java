package dev.pgoutput.decoder.bytebuffer;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bodies of the row change messages: Insert {@code 'I'}, Update {@code 'U'}, Delete
 * {@code 'D'} and Truncate {@code 'T'}. Each method starts after the type byte and the optional
 * streamed-block xid, which the caller has read.
 */
final class DataChangeMessages {

    private static final int NEW_TUPLE = 'N';
    private static final int OLD_KEY = 'K';
    private static final int OLD_ROW = 'O';

    private DataChangeMessages() {
    }

    /** Insert: Int32 relid, Byte1 'N', TupleData. */
    static Insert insert(ArrayCursor c, int xid) {
        int relationId = c.readInt("relid");
        expectNewTupleMarker(c, "Insert");
        return new Insert(xid, relationId, TupleReader.read(c));
    }

    /** Update: Int32 relid, optional (Byte1 'K' or 'O', TupleData), Byte1 'N', TupleData. */
    static Update update(ArrayCursor c, int xid) {
        int relationId = c.readInt("relid");
        int markerAt = c.offset();
        int marker = c.readUnsignedByte("tuple marker");
        char oldKind = 0;
        TupleData oldTuple = null;
        if (marker == OLD_KEY || marker == OLD_ROW) {
            oldKind = (char) marker;
            oldTuple = TupleReader.read(c);
            markerAt = c.offset();
            marker = c.readUnsignedByte("new tuple marker");
            if (marker != NEW_TUPLE) {
                throw c.errorAt(markerAt, "expected 'N' after the old tuple of an Update, found "
                        + DecodeException.describeByte(marker));
            }
        } else if (marker != NEW_TUPLE) {
            throw c.errorAt(markerAt, "unknown Update tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'K', 'O' or 'N')");
        }
        return new Update(xid, relationId, oldKind, oldTuple, TupleReader.read(c));
    }

    /** Delete: Int32 relid, Byte1 'K' or 'O', TupleData. */
    static Delete delete(ArrayCursor c, int xid) {
        int relationId = c.readInt("relid");
        int markerAt = c.offset();
        int marker = c.readUnsignedByte("tuple marker");
        if (marker != OLD_KEY && marker != OLD_ROW) {
            throw c.errorAt(markerAt, "unknown Delete tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'K' or 'O')");
        }
        return new Delete(xid, relationId, (char) marker, TupleReader.read(c));
    }

    /** Truncate: Int32 nrels, Int8 options, Int32[nrels] relids. */
    static Truncate truncate(ArrayCursor c, int xid) {
        int countAt = c.offset();
        int count = c.readInt("nrels");
        int options = c.readUnsignedByte("options");
        // Checked against the bytes actually present before the list is sized from it.
        if (count < 0 || count > c.remaining() / 4) {
            throw c.errorAt(countAt, "nrels " + Integer.toUnsignedString(count) + " does not fit in the "
                    + c.remaining() + " remaining bytes");
        }
        List<Integer> relationIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            relationIds.add(c.readInt("relid"));
        }
        return new Truncate(xid, options, relationIds);
    }

    private static void expectNewTupleMarker(ArrayCursor c, String message) {
        int markerAt = c.offset();
        int marker = c.readUnsignedByte("tuple marker");
        if (marker != NEW_TUPLE) {
            throw c.errorAt(markerAt, "unknown " + message + " tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'N')");
        }
    }
}
