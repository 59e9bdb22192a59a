package dev.pgoutput.conformance;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One file of the captured corpus: the pgoutput payloads of the XLogData frames a real server sent on one
 * slot, in the order it sent them, each with the frame's start LSN.
 *
 * <p>The file format is deliberately trivial so that any tool can read it: the magic {@code PGOCORP1},
 * an Int32 length and that many bytes of UTF-8 {@code key=value} lines (server version, the
 * START_REPLICATION options, how many messages were trimmed), then records {@code [Int64 lsn][Int32
 * length][length bytes]} up to the end of the file, all big-endian. No compression: the files are small
 * and a diff of two captures should stay readable with {@code xxd}.
 *
 * <pre>{@code
 * CapturedCorpus corpus = CapturedCorpus.read(in);
 * for (CapturedCorpus.Frame f : corpus.frames()) decoder.decode(ByteBuffer.wrap(f.payload()), f.lsn());
 * }</pre>
 *
 * @param header the key=value lines, in file order
 * @param frames the messages, in stream order
 */
record CapturedCorpus(Map<String, String> header, List<Frame> frames) {

    private static final byte[] MAGIC = "PGOCORP1".getBytes(StandardCharsets.US_ASCII);

    /** Refuses absurd lengths so that a damaged file fails clearly instead of allocating gigabytes. */
    private static final int MAX_PAYLOAD = 64 << 20;

    CapturedCorpus {
        header = Collections.unmodifiableMap(new LinkedHashMap<>(header));
        frames = List.copyOf(frames);
    }

    /**
     * One XLogData payload.
     *
     * @param lsn     the frame's dataStart (0/0 for Relation and Type, the commit's end LSN for Commit)
     * @param payload exactly one pgoutput message, starting with its type byte
     */
    record Frame(long lsn, byte[] payload) {

        char type() {
            return payload.length == 0 ? '\0' : (char) (payload[0] & 0xFF);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.lsn == lsn && Arrays.equals(f.payload, payload);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(lsn) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Frame[" + type() + " at " + (lsn >>> 32 == 0 ? "" : Long.toHexString(lsn >>> 32)) + "/"
                    + Long.toHexString(lsn & 0xFFFFFFFFL) + ", " + payload.length + " bytes]";
        }
    }

    /** Reads a whole file; the stream is read to its end but not closed. */
    static CapturedCorpus read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a captured corpus file (magic " + Arrays.toString(magic) + ")");
        }
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : new String(readBlock(data), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                header.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        List<Frame> frames = new ArrayList<>();
        while (true) {
            long lsn;
            try {
                lsn = data.readLong();
            } catch (EOFException end) {
                break; // a clean end can only fall between records
            }
            frames.add(new Frame(lsn, readBlock(data)));
        }
        return new CapturedCorpus(header, frames);
    }

    /** Writes this corpus in the format {@link #read} reads. */
    void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        StringBuilder text = new StringBuilder();
        header.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        byte[] headerBytes = text.toString().getBytes(StandardCharsets.UTF_8);
        data.writeInt(headerBytes.length);
        data.write(headerBytes);
        for (Frame f : frames) {
            data.writeLong(f.lsn());
            data.writeInt(f.payload().length);
            data.write(f.payload());
        }
        data.flush();
    }

    /** The file as bytes, for tests of the format itself. */
    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(bytes);
        } catch (IOException e) {
            throw new AssertionError("a byte array stream does not fail", e);
        }
        return bytes.toByteArray();
    }

    private static byte[] readBlock(DataInputStream data) throws IOException {
        int length = data.readInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("record length " + length + " out of range");
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return bytes;
    }
}
