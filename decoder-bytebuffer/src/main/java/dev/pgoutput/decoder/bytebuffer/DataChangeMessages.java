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
    static Insert insert(MessageReader r, int xid) {
        int relationId = r.readInt("relid");
        expectNewTupleMarker(r, "Insert");
        return new Insert(xid, relationId, TupleReader.read(r));
    }

    /** Update: Int32 relid, optional (Byte1 'K' or 'O', TupleData), Byte1 'N', TupleData. */
    static Update update(MessageReader r, int xid) {
        int relationId = r.readInt("relid");
        int markerAt = r.offset();
        int marker = r.readUnsignedByte("tuple marker");
        char oldKind = 0;
        TupleData oldTuple = null;
        if (marker == OLD_KEY || marker == OLD_ROW) {
            oldKind = (char) marker;
            oldTuple = TupleReader.read(r);
            markerAt = r.offset();
            marker = r.readUnsignedByte("new tuple marker");
            if (marker != NEW_TUPLE) {
                throw r.errorAt(markerAt, "expected 'N' after the old tuple of an Update, found "
                        + DecodeException.describeByte(marker));
            }
        } else if (marker != NEW_TUPLE) {
            throw r.errorAt(markerAt, "unknown Update tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'K', 'O' or 'N')");
        }
        return new Update(xid, relationId, oldKind, oldTuple, TupleReader.read(r));
    }

    /** Delete: Int32 relid, Byte1 'K' or 'O', TupleData. */
    static Delete delete(MessageReader r, int xid) {
        int relationId = r.readInt("relid");
        int markerAt = r.offset();
        int marker = r.readUnsignedByte("tuple marker");
        if (marker != OLD_KEY && marker != OLD_ROW) {
            throw r.errorAt(markerAt, "unknown Delete tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'K' or 'O')");
        }
        return new Delete(xid, relationId, (char) marker, TupleReader.read(r));
    }

    /** Truncate: Int32 nrels, Int8 options, Int32[nrels] relids. */
    static Truncate truncate(MessageReader r, int xid) {
        int countAt = r.offset();
        int count = r.readInt("nrels");
        int options = r.readUnsignedByte("options");
        // Checked against the bytes actually present before the list is sized from it.
        if (count < 0 || count > r.remaining() / 4) {
            throw r.errorAt(countAt, "nrels " + Integer.toUnsignedString(count) + " does not fit in the "
                    + r.remaining() + " remaining bytes");
        }
        List<Integer> relationIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            relationIds.add(r.readInt("relid"));
        }
        return new Truncate(xid, options, relationIds);
    }

    private static void expectNewTupleMarker(MessageReader r, String message) {
        int markerAt = r.offset();
        int marker = r.readUnsignedByte("tuple marker");
        if (marker != NEW_TUPLE) {
            throw r.errorAt(markerAt, "unknown " + message + " tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'N')");
        }
    }
}
