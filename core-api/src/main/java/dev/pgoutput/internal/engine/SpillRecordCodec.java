package dev.pgoutput.internal.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The format of a spill file: a header naming the format and its version, then one record per kept
 * message with the facts needed to decode it again and to leave it out on replay. The message bytes are
 * stored exactly as the server sent them; the engine's decoder reads them back.
 *
 * <pre>
 * header: "PGOSPILL" (8 bytes), Int8 version (1)
 * record: Int8 flags (1 = schema message, 2 = inside a streamed block), Int32 subxid, Int64 lsn,
 *         Int32 length, Byte[length] pgoutput message
 * </pre>
 *
 * <p>A file is only ever read by the process that wrote it, but the version keeps a format change from
 * being misread by a reader that outlived it, and the header makes a stranger's file an error.
 */
final class SpillRecordCodec {

    private static final byte[] MAGIC = {'P', 'G', 'O', 'S', 'P', 'I', 'L', 'L'};
    static final int VERSION = 1;
    /** Header bytes at the start of every file. */
    static final int HEADER_BYTES = MAGIC.length + 1;
    /** Record bytes besides the message. */
    static final int RECORD_OVERHEAD_BYTES = 1 + 4 + 8 + 4;

    private static final int SCHEMA = 1;
    private static final int STREAM_BLOCK = 2;

    /** A record read back: everything but the decoded message. */
    record Record(int subXid, boolean schema, boolean streamBlock, long lsn, byte[] bytes) {
    }

    private SpillRecordCodec() {
    }

    static void writeHeader(DataOutputStream out) throws IOException {
        out.write(MAGIC);
        out.writeByte(VERSION);
    }

    /** Checks the header; throws naming what is wrong. */
    static void readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a spill file of this library");
        }
        int version = in.readUnsignedByte();
        if (version != VERSION) {
            throw new IOException("spill file format " + version + ", this reader reads format " + VERSION);
        }
    }

    /** Writes one record; returns its size in bytes. */
    static int write(DataOutputStream out, KeptMessage kept) throws IOException {
        ByteBuffer payload = kept.payload();
        int length = payload.remaining();
        out.writeByte((kept.schema() ? SCHEMA : 0) | (kept.streamBlock() ? STREAM_BLOCK : 0));
        out.writeInt(kept.subXid());
        out.writeLong(kept.lsn());
        out.writeInt(length);
        if (payload.hasArray()) {
            out.write(payload.array(), payload.arrayOffset() + payload.position(), length);
        } else {
            byte[] copy = new byte[length];
            payload.get(payload.position(), copy);
            out.write(copy);
        }
        return RECORD_OVERHEAD_BYTES + length;
    }

    /** Reads the next record, or null at the end of the file. */
    static Record read(DataInputStream in) throws IOException {
        int flags;
        try {
            flags = in.readUnsignedByte();
        } catch (EOFException end) {
            return null;
        }
        int subXid = in.readInt();
        long lsn = in.readLong();
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative record length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new Record(subXid, (flags & SCHEMA) != 0, (flags & STREAM_BLOCK) != 0, lsn, bytes);
    }
}
