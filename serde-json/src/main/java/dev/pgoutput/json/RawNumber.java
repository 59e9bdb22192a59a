package dev.pgoutput.json;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A number token that is a window into the message bytes, handed to
 * {@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue(SerializableString)} so that Jackson copies
 * it into its output buffer without a {@code String} in between ({@code writeNumber(String)} would need
 * one per value).
 *
 * <p>Mutable and reused: one instance per generator, re-pointed with {@link #set} before each value. Only
 * ever holds text that {@link TextForms} accepted as a JSON number, which is ASCII, so the quoted, unquoted,
 * byte and char forms all coincide.
 */
final class RawNumber implements SerializableString {

    private byte[] buf;
    private int off;
    private int len;

    RawNumber set(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        return this;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + len > buffer.length) {
            return -1; // Jackson then flushes and falls back to asUnquotedUTF8()
        }
        System.arraycopy(buf, off, buffer, offset, len);
        return len;
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOfRange(buf, off, off + len);
    }

    @Override
    public String getValue() {
        return new String(buf, off, len, StandardCharsets.US_ASCII);
    }

    @Override
    public int charLength() {
        return len;
    }

    @Override
    public char[] asQuotedChars() {
        return getValue().toCharArray();
    }

    @Override
    public byte[] asQuotedUTF8() {
        return asUnquotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return appendUnquotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return appendUnquoted(buffer, offset);
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        if (offset + len > buffer.length) {
            return -1;
        }
        for (int i = 0; i < len; i++) {
            buffer[offset + i] = (char) buf[off + i];
        }
        return len;
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return writeUnquotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(buf, off, len);
        return len;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        return putUnquotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < len) {
            return -1;
        }
        buffer.put(buf, off, len);
        return len;
    }

    @Override
    public String toString() {
        return getValue();
    }
}
