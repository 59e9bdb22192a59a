package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.protocol.Relation;
import dev.pgoutput.spi.PublishedTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The COPY of one incremental-snapshot chunk: a row-value bound after the last key, key order, a limit. */
class ChunkCommandTest {

    private static final List<Relation.Column> COLUMNS = List.of(new Relation.Column(1, "a", 23, -1),
            new Relation.Column(1, "b", 25, -1), new Relation.Column(0, "v", 25, -1));

    @Test
    void theFirstChunkHasNoBound() {
        PublishedTable t = new PublishedTable(1, "public", "t", 'd', false, COLUMNS, null, 0, 0);
        assertEquals("COPY (SELECT \"a\", \"b\", \"v\" FROM ONLY \"public\".\"t\" ORDER BY \"a\", \"b\" LIMIT 1024) "
                + "TO STDOUT", PgjdbcChunkSession.chunkCommand(t, List.of("a", "b"), null, 1024, false));
    }

    @Test
    void laterChunksCompareRowValuesAfterTheRowFilter() {
        PublishedTable t = new PublishedTable(1, "public", "t", 'd', false, COLUMNS, "(a > 0)", 0, 0);
        assertEquals("COPY (SELECT \"a\", \"b\", \"v\" FROM ONLY \"public\".\"t\" WHERE ((a > 0)) AND (\"a\", \"b\") > "
                        + "(E'7', E'it''s a \\\\ back') ORDER BY \"a\", \"b\" LIMIT 10) TO STDOUT",
                PgjdbcChunkSession.chunkCommand(t, List.of("a", "b"), List.of("7", "it's a \\ back"), 10, false));
    }

    @Test
    void inBinaryTheKeyFollowsAsTextForTheNextBound() {
        PublishedTable t = new PublishedTable(1, "public", "t", 'd', false, COLUMNS, null, 0, 0);
        assertEquals("COPY (SELECT \"a\", \"b\", \"v\", \"a\"::text AS \"pgoutput_chunk_key_0\", \"b\"::text AS \"pgoutput_chunk_key_1\" "
                + "FROM ONLY \"public\".\"t\" "
                + "WHERE (\"a\", \"b\") > (E'1', E'x') ORDER BY \"a\", \"b\" LIMIT 5) TO STDOUT (FORMAT binary)",
                PgjdbcChunkSession.chunkCommand(t, List.of("a", "b"), List.of("1", "x"), 5, true));
    }
}
