package dev.pgoutput.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.spi.PgOutputDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionSpoolsTest {

    @TempDir
    Path dir;

    /**
     * Reads back the stand-in messages of {@link #streamed}: type byte, Int32 xid, Int32 row. A spill file
     * must hand it the bytes as they arrived, with the fact that they came inside a streamed block.
     */
    private static final PgOutputDecoder DECODER = (message, lsn, inStreamBlock) -> {
        assertTrue(inStreamBlock, "spilled streamed messages are decoded as streamed again");
        int at = message.position();
        if (message.get(at) == 'R') {
            return relation(message.getInt(at + 1));
        }
        assertEquals('I', (char) message.get(at));
        return insert(message.getInt(at + 1), message.getInt(at + 5));
    };

    private static Insert insert(int xid, int row) {
        byte[] value = Integer.toString(row).getBytes(StandardCharsets.UTF_8);
        return new Insert(xid, 1, new TupleData(value, new byte[] {TupleData.TEXT}, new int[] {0},
                new int[] {value.length}));
    }

    /** A streamed-block Insert of {@code row} by {@code subXid}, as received: decoded, with its bytes. */
    private static KeptMessage streamed(int subXid, int row) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4);
        b.put((byte) 'I').putInt(subXid).putInt(row).flip();
        return new KeptMessage(insert(subXid, row), 1000L + row, subXid, true, b);
    }

    private static Relation relation(int xid) {
        return new Relation(xid, 1, "public", "t", 'd', List.of(new Relation.Column(1, "v", 25, -1)));
    }

    /** A stand-in Relation kept for {@code subXid}, naming {@code row}: never left out. */
    private static KeptMessage schema(int subXid, int row) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4);
        b.put((byte) 'R').putInt(subXid).putInt(row).flip();
        return new KeptMessage(relation(subXid), 1000L + row, subXid, true, b);
    }

    private static List<Integer> rows(TransactionSpools.Replay replay) {
        List<Integer> rows = new ArrayList<>();
        try (replay) {
            while (replay.next()) {
                KeptMessage kept = replay.current();
                assertEquals(9, kept.size(), "the bytes are kept as they arrived");
                int row = kept.payload().getInt(kept.payload().position() + 5);
                if (kept.message() instanceof Insert insert) {
                    assertEquals(Integer.toString(row), insert.newTuple().text(0));
                    assertEquals(kept.subXid(), insert.xid(), "the change names its subtransaction");
                }
                rows.add(row);
                assertEquals(1000L + row, kept.lsn());
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "memory budget {0}")
    @ValueSource(longs = {0, 1_000, 1L << 30})
    void keepsArrivalOrderAndLeavesOutAbortedSubtransactions(long budget) throws Exception {
        TransactionSpools spools = new TransactionSpools(dir, budget, DECODER);
        spools.start(10);
        for (int row = 0; row < 100; row++) {
            int subXid = row < 30 ? 10 : row < 60 ? 11 : row < 80 ? 12 : 10;
            spools.add(10, streamed(subXid, row));
        }
        spools.abort(10, 12);
        if (budget < 100_000) {
            assertTrue(spools.spilledBytes() > 0, "beyond the budget the transaction is in a file");
            assertEquals(1, fileCount());
        } else {
            assertEquals(0, fileCount());
        }
        List<Integer> expected = new ArrayList<>();
        for (int row = 0; row < 100; row++) {
            if (row < 60 || row >= 80) {
                expected.add(row);
            }
        }
        assertEquals(expected, rows(spools.take(10)));
        assertEquals(0, fileCount(), "the file is gone after the replay");
        assertEquals(0, spools.spilledBytes());
        assertEquals(0, spools.memoryUsed());
        assertNull(spools.take(10));
    }

    @Test
    void schemaMessagesOfAbortedSubtransactionsAreKept() {
        TransactionSpools spools = new TransactionSpools(dir, 0, DECODER);
        spools.start(10);
        spools.add(10, schema(11, 1));
        spools.add(10, streamed(11, 2));
        spools.add(10, streamed(10, 3));
        spools.abort(10, 11);
        assertEquals(List.of(1, 3), rows(spools.take(10)));
    }

    @Test
    void abortDiscardAndCloseRemoveFilesAndFreeMemory() throws Exception {
        TransactionSpools spools = new TransactionSpools(dir, 200, DECODER);
        for (int xid = 1; xid <= 3; xid++) {
            spools.start(xid);
            for (int row = 0; row < 10; row++) {
                spools.add(xid, streamed(xid, row));
            }
        }
        assertEquals(3, fileCount());
        spools.abort(1, 1);
        assertFalse(spools.contains(1));
        spools.discard(2);
        assertEquals(1, fileCount());
        spools.close();
        assertEquals(0, fileCount());
        assertEquals(0, spools.spilledBytes());
        assertTrue(spools.peakSpilledBytes() > 0);
    }

    @Test
    void aFirstSegmentAgainStartsOver() {
        TransactionSpools spools = new TransactionSpools(dir, 1L << 20, DECODER);
        spools.start(5);
        spools.add(5, streamed(5, 1));
        spools.start(5);
        spools.add(5, streamed(5, 2));
        assertEquals(List.of(2), rows(spools.take(5)));
    }

    @Test
    void leftoversAreRemovedAndOtherFilesKept() throws Exception {
        Files.writeString(dir.resolve("xid-1-1.spill"), "old");
        Files.writeString(dir.resolve("notes.txt"), "mine");
        TransactionSpools.removeLeftovers(dir);
        TransactionSpools.removeLeftovers(dir.resolve("missing"));
        assertEquals(List.of(dir.resolve("notes.txt")), listing());
    }

    @Test
    void spillFilesAreReadableByTheOwnerOnly() throws Exception {
        TransactionSpools spools = new TransactionSpools(dir, 0, DECODER);
        spools.start(1);
        spools.add(1, streamed(1, 1));
        Path file = listing().get(0);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        spools.close();
    }

    @Test
    void aSpillDirectoryServesOneReaderAtATime() throws Exception {
        Files.writeString(dir.resolve("xid-9-1.spill"), "left by a dead reader");
        TransactionSpools first = TransactionSpools.open(dir, 0, DECODER);
        assertEquals(0, fileCount(), "leftovers removed once the directory is ours");
        dev.pgoutput.api.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.pgoutput.api.ConfigurationException.class, () -> TransactionSpools.open(dir, 0, DECODER));
        assertTrue(e.getMessage().contains("in use by another reader"), e.getMessage());
        first.close();
        TransactionSpools.open(dir, 0, DECODER).close();
    }

    @Test
    void anUnusableSpillDirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        dev.pgoutput.api.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.pgoutput.api.ConfigurationException.class, () -> TransactionSpools.open(file, 0, DECODER));
        assertTrue(e.getMessage().contains("cannot be used") && e.getMessage().contains("spillDirectory"), e.getMessage());
    }

    @Test
    void aSpillFileThatCannotBeReadBackIsAClearErrorAndLeavesNothingCounted() throws Exception {
        TransactionSpools spools = new TransactionSpools(dir, 0, DECODER);
        spools.start(1);
        spools.add(1, streamed(1, 1));
        Path file = listing().stream().filter(f -> f.toString().endsWith(".spill")).findFirst().orElseThrow();
        Files.delete(file);   // gone from under the reader (a cleaner, a full disk that was wiped)
        dev.pgoutput.api.PgOutputException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.pgoutput.api.PgOutputException.class, () -> spools.take(1));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertEquals(0, spools.spilledBytes());
        assertEquals(0, fileCount());
    }

    @Test
    void aKeptChangeCostsItsBytesAndItsDecodedColumns() {
        KeptMessage kept = streamed(1, 1);
        assertTrue(kept.heapCost() > kept.size() + 9, "more than the bytes: " + kept.heapCost());
        TransactionSpools spools = new TransactionSpools(dir, 1L << 20, DECODER);
        spools.start(1);
        spools.add(1, kept);
        assertEquals(kept.heapCost(), spools.memoryUsed());
        spools.close();
        assertEquals(0, spools.memoryUsed());
    }

    private long fileCount() throws Exception {
        return listing().stream().filter(f -> f.toString().endsWith(".spill")).count();
    }

    private List<Path> listing() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
