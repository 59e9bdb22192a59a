package dev.pgoutput.decoder.panama;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the row change messages: Insert {@code 'I'}, Update {@code 'U'}, Delete {@code 'D'} and
 * Truncate {@code 'T'}, from after the type byte and the streamed-block xid (read by the caller).
 */
final class DataChangeMessages {

    private static final int NEW_TUPLE = 'N';
    private static final int OLD_KEY = 'K';
    private static final int OLD_ROW = 'O';

    private DataChangeMessages() {
    }

    /** Insert: Int32 relid, Byte1 'N', TupleData. */
    static Insert insert(SegmentCursor c, int xid) {
        int relationId = c.readInt("relid");
        int markerAt = c.offset();
        int marker = c.readUnsignedByte("tuple marker");
        if (marker != NEW_TUPLE) {
            throw c.errorAt(markerAt, "unknown Insert tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'N')");
        }
        return new Insert(xid, relationId, TupleReader.read(c));
    }

    /** Update: Int32 relid, optionally Byte1 'K' or 'O' and the old TupleData, then Byte1 'N', TupleData. */
    static Update update(SegmentCursor c, int xid) {
        int relationId = c.readInt("relid");
        int markerAt = c.offset();
        int marker = c.readUnsignedByte("tuple marker");
        if (marker == NEW_TUPLE) {
            return new Update(xid, relationId, (char) 0, null, TupleReader.read(c));
        }
        if (marker != OLD_KEY && marker != OLD_ROW) {
            throw c.errorAt(markerAt, "unknown Update tuple marker " + DecodeException.describeByte(marker)
                    + " (expected 'K', 'O' or 'N')");
        }
        TupleData oldTuple = TupleReader.read(c);
        int newMarkerAt = c.offset();
        int newMarker = c.readUnsignedByte("new tuple marker");
        if (newMarker != NEW_TUPLE) {
            throw c.errorAt(newMarkerAt, "expected 'N' after the old tuple of an Update, found "
                    + DecodeException.describeByte(newMarker));
        }
        return new Update(xid, relationId, (char) marker, oldTuple, TupleReader.read(c));
    }

    /** Delete: Int32 relid, Byte1 'K' or 'O', TupleData. */
    static Delete delete(SegmentCursor c, int xid) {
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
    static Truncate truncate(SegmentCursor c, int xid) {
        int countAt = c.offset();
        int count = c.readInt("nrels");
        int options = c.readUnsignedByte("options");
        // Explicit: the list is sized from the count, and the error names the count, not the first
        // relid that would be missing.
        if (count < 0 || count > c.remaining() / Integer.BYTES) {
            throw c.errorAt(countAt, "nrels " + Integer.toUnsignedString(count) + " does not fit in the "
                    + c.remaining() + " remaining bytes");
        }
        List<Integer> relationIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            relationIds.add(c.readInt("relid"));
        }
        return new Truncate(xid, options, relationIds);
    }
}
