package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Debezium's {@code source.sequence}: {@code ["<last commit>","<lsn>"]}, whose first element is {@code null}
 * (unquoted) until the reader has seen a commit, as Debezium writes it; for changes and for messages outside any
 * transaction alike.
 */
class SequenceTest {

    private final SourceFactory sources = new SourceFactory("1.0", "srv", "db");

    @Test
    void beforeAnyCommitTheFirstElementIsNull() {
        assertEquals("[null,\"500\"]", TransactionContext.of(7, 900, 0, 0, null, null, null).sequence(500));
        assertEquals("[null,\"600\"]", sources.message(null, 600, 0, 0, 0, null, null).sequence());
    }

    @Test
    void afterACommitItIsThatCommitsLsn() {
        assertEquals("[\"400\",\"500\"]", TransactionContext.of(7, 900, 0, 400, null, null, null).sequence(500));
        assertEquals("[\"400\",\"600\"]", sources.message(null, 600, 0, 400, 0, null, null).sequence());
    }
}
