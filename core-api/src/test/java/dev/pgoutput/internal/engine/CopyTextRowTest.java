package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.protocol.TupleData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** COPY's text rows become the tuples a streamed Insert would carry: NULLs, escapes, column counts. */
class CopyTextRowTest {

    private static TupleData parse(String line, int columns) {
        return CopyTextRow.parse(line.getBytes(StandardCharsets.UTF_8), columns);
    }

    @Test
    void columnsNullsAndEmptyStrings() {
        TupleData t = parse("1\t\\N\t\tlast\n", 4);
        assertEquals("1", t.text(0));
        assertTrue(t.isNull(1));
        assertEquals("", t.text(2), "an empty string is not NULL");
        assertEquals("last", t.text(3));
    }

    @Test
    void escapesAreUndone() {
        TupleData t = parse("a\\tb\\\\c\\nd\\re\tx\\101\\x42\\N2\n", 2);
        assertEquals("a\tb\\c\nd\re", t.text(0));
        assertEquals("xABN2", t.text(1), "octal, hex, and a backslash before other bytes");
    }

    @Test
    void aLiteralBackslashNIsNotNullInsideAValue() {
        TupleData t = parse("\\\\N\t\\N\n", 2);
        assertEquals("\\N", t.text(0), "an escaped backslash then N is the text \\N");
        assertTrue(t.isNull(1));
    }

    @Test
    void multiByteTextIsKeptAsItIs() {
        TupleData t = parse("Zürich\t東京\n", 2);
        assertEquals("Zürich", t.text(0));
        assertEquals("東京", t.text(1));
    }

    @Test
    void theWrongNumberOfColumnsIsAnError() {
        assertTrue(assertThrows(PgOutputException.class, () -> parse("1\t2\n", 3)).getMessage().contains("fewer"));
        assertTrue(assertThrows(PgOutputException.class, () -> parse("1\t2\t3\n", 2)).getMessage().contains("more"));
        assertEquals(0, parse("\\N\n", 0).columnCount(), "a table without published columns");
    }
}
