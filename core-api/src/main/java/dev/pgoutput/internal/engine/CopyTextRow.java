package dev.pgoutput.internal.engine;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.TupleData;

/**
 * One row of {@code COPY … TO STDOUT} in text format, made into the {@link TupleData} a streamed Insert
 * of it would carry: columns separated by tabs, {@code \N} for NULL, and backslash escapes for the bytes
 * the format reserves. After unescaping, each value is the type's text output, byte for byte what pgoutput
 * sends, so the same value decoders read both.
 */
final class CopyTextRow {

    private CopyTextRow() {
    }

    /**
     * @param line    one row with its trailing newline; unescaped in place (the tuple's values are views
     *                into it)
     * @param columns how many columns the COPY selected
     * @throws PgOutputException when the line does not have that many columns
     */
    static TupleData parse(byte[] line, int columns) {
        byte[] kinds = new byte[columns];
        int[] offsets = new int[columns];
        int[] lengths = new int[columns];
        if (columns == 0) {
            return new TupleData(line, kinds, offsets, lengths);   // a table without published columns
        }
        int end = line.length > 0 && line[line.length - 1] == '\n' ? line.length - 1 : line.length;
        int read = 0;
        int write = 0;
        for (int col = 0; col < columns; col++) {
            if (col > 0) {
                if (read >= end || line[read] != '\t') {
                    throw new PgOutputException("COPY row with fewer than " + columns + " columns: " + preview(line));
                }
                read++;
            }
            if (end - read >= 2 && line[read] == '\\' && line[read + 1] == 'N' && (read + 2 == end || line[read + 2] == '\t')) {
                kinds[col] = TupleData.NULL;
                read += 2;
                continue;
            }
            kinds[col] = TupleData.TEXT;
            offsets[col] = write;
            while (read < end && line[read] != '\t') {
                byte b = line[read++];
                if (b == '\\' && read < end) {
                    int escape = escape(line, read, end);
                    b = (byte) escape;
                    read += escape >>> 8;
                }
                line[write++] = b;   // never ahead of read: unescaping only shortens
            }
            lengths[col] = write - offsets[col];
        }
        if (read != end) {
            throw new PgOutputException("COPY row with more than " + columns + " columns: " + preview(line));
        }
        return new TupleData(line, kinds, offsets, lengths);
    }

    /**
     * The escape that starts at {@code at}, just after its backslash: the byte it stands for in the low 8
     * bits, and how many bytes after the backslash it takes above them. Octal ({@code \NNN}) and hex
     * ({@code \xNN}) escapes take up to three and two digits; any other byte stands for itself.
     */
    private static int escape(byte[] line, int at, int end) {
        byte c = line[at];
        switch (c) {
            case 'b': return 1 << 8 | '\b';
            case 'f': return 1 << 8 | '\f';
            case 'n': return 1 << 8 | '\n';
            case 'r': return 1 << 8 | '\r';
            case 't': return 1 << 8 | '\t';
            case 'v': return 1 << 8 | 0x0b;
            case 'x': {
                int value = 0;
                int n = 1;
                for (; n < 3 && at + n < end && hexDigit(line[at + n]) >= 0; n++) {
                    value = value * 16 + hexDigit(line[at + n]);
                }
                return n << 8 | (value & 0xff);
            }
            default: {
                if (c < '0' || c > '7') {
                    return 1 << 8 | (c & 0xff);   // \\ and any other byte stand for themselves
                }
                int value = 0;
                int n = 0;
                for (; n < 3 && at + n < end && line[at + n] >= '0' && line[at + n] <= '7'; n++) {
                    value = value * 8 + (line[at + n] - '0');
                }
                return n << 8 | (value & 0xff);
            }
        }
    }

    private static int hexDigit(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
    }

    private static String preview(byte[] line) {
        return new String(line, 0, Math.min(line.length, 80), java.nio.charset.StandardCharsets.UTF_8);
    }
}
