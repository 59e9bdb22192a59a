package dev.pgoutput.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A captured pgoutput stream: the payloads of the XLogData frames a real server sent, in order, each with
 * its start LSN, loaded from the class path.
 *
 * <p>The file format is the conformance module's {@code CapturedCorpus} format ({@code PGOCORP1}, an Int32
 * length of UTF-8 {@code key=value} header lines, then {@code [Int64 lsn][Int32 length][bytes]} records,
 * big-endian), read here by a reader of its own because that class is package-private test code. Files
 * may be gzip-compressed ({@code .pgoc.gz}).
 *
 * <p>Where corpora come from: {@code corpus/<name>.pgoc} — the streams PostgreSQL 12–18 sent for the
 * conformance workload, from the conformance module's test-jar (for example {@code pg17-text}); and
 * {@code corpus/<name>.pgoc.gz} — this module's W1 workload ({@code w1-text}, {@code w1-binary}, see
 * {@code W1Capture} in the test sources).
 */
public final class Corpus {

    private static final byte[] MAGIC = "PGOCORP1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_RECORD = 64 << 20;

    private final String name;
    private final Map<String, String> header;
    private final byte[][] payloads;
    private final long[] lsns;
    private final long totalBytes;

    /**
     * Makes a corpus from captured messages.
     *
     * @param name     what it is called in reports
     * @param header   key=value facts (server version, replication options …)
     * @param payloads one pgoutput message per element, starting with its type byte
     * @param lsns     each message's XLogData start LSN
     */
    public Corpus(String name, Map<String, String> header, List<byte[]> payloads, List<Long> lsns) {
        if (payloads.size() != lsns.size()) {
            throw new IllegalArgumentException("payloads and lsns differ in size");
        }
        this.name = name;
        this.header = Map.copyOf(header);
        this.payloads = payloads.toArray(byte[][]::new);
        this.lsns = lsns.stream().mapToLong(Long::longValue).toArray();
        this.totalBytes = Arrays.stream(this.payloads).mapToLong(p -> p.length).sum();
    }

    /**
     * Loads {@code corpus/<name>.pgoc} or {@code corpus/<name>.pgoc.gz} from the class path.
     *
     * @throws IllegalArgumentException when neither exists
     */
    public static Corpus load(String name) {
        ClassLoader loader = Corpus.class.getClassLoader();
        for (String suffix : List.of(".pgoc", ".pgoc.gz")) {
            String resource = "corpus/" + name + suffix;
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in != null) {
                    return read(name, suffix.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        throw new IllegalArgumentException("no corpus " + name + " on the class path (corpus/" + name
                + ".pgoc[.gz]); the conformance test-jar has pg12-text … pg18-binary, this module w1-text and w1-binary");
    }

    /** Reads one corpus file; the stream is read to its end but not closed. */
    public static Corpus read(String name, InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        byte[] magic = new byte[MAGIC.length];
        data.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(name + " is not a corpus file (magic " + Arrays.toString(magic) + ")");
        }
        Map<String, String> header = new LinkedHashMap<>();
        for (String line : new String(readBlock(data), StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                header.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        List<byte[]> payloads = new ArrayList<>();
        List<Long> lsns = new ArrayList<>();
        while (true) {
            try {
                lsns.add(data.readLong());
            } catch (EOFException end) {
                break;
            }
            payloads.add(readBlock(data));
        }
        return new Corpus(name, header, payloads, lsns);
    }

    /** Writes this corpus in the format {@link #read} reads (uncompressed; wrap the stream to compress). */
    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.write(MAGIC);
        StringBuilder text = new StringBuilder();
        header.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        byte[] headerBytes = text.toString().getBytes(StandardCharsets.UTF_8);
        data.writeInt(headerBytes.length);
        data.write(headerBytes);
        for (int i = 0; i < payloads.length; i++) {
            data.writeLong(lsns[i]);
            data.writeInt(payloads[i].length);
            data.write(payloads[i]);
        }
        data.flush();
    }

    private static byte[] readBlock(DataInputStream data) throws IOException {
        int length = data.readInt();
        if (length < 0 || length > MAX_RECORD) {
            throw new IOException("record length " + length + " out of range");
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return bytes;
    }

    /** The name it was loaded by. */
    public String name() {
        return name;
    }

    /** The header's key=value facts. */
    public Map<String, String> header() {
        return header;
    }

    /** The number of messages. */
    public int size() {
        return payloads.length;
    }

    /** Message {@code i}'s LSN. */
    public long lsn(int i) {
        return lsns[i];
    }

    /** Message {@code i}'s type byte. */
    public char type(int i) {
        return (char) (payloads[i][0] & 0xFF);
    }

    /** Every message wrapped once as a heap buffer (the decoders leave position and limit alone). */
    public ByteBuffer[] buffers() {
        return Arrays.stream(payloads).map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
    }

    /** The sum of all message sizes in bytes. */
    public long totalBytes() {
        return totalBytes;
    }

    /** The mean message size in bytes. */
    public double averageMessageBytes() {
        return payloads.length == 0 ? 0 : (double) totalBytes / payloads.length;
    }
}
