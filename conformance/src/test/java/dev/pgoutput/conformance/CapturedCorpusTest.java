package dev.pgoutput.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Update;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.spi.PgOutputDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays the streams that real servers (PostgreSQL 12–18) sent, as written by {@link CorpusCapture}
 * into {@code src/test/resources/corpus/}: every message decodes with every decoder found, the decoders
 * agree message by message over whole files (so the stream-block state is compared too), each file holds
 * the message types its server version can send, and the facts about real streams that the engine relies
 * on (PROTOCOL.md) hold.
 */
class CapturedCorpusTest {

    /** Message types every version sends for the workload. */
    private static final String V1_TYPES = "BCRYIUDTO";
    /** PG14 adds logical messages and streaming. */
    private static final String V2_TYPES = "MSEcA";
    /** PG15 adds two-phase, including the streamed prepare. */
    private static final String V3_TYPES = "bPKrp";

    record CorpusFile(String name, int major, String mode, CapturedCorpus corpus) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The files the capture program writes; a missing one fails here rather than shrinking the test. */
    static List<CorpusFile> corpus() {
        List<CorpusFile> files = new ArrayList<>();
        for (int major = 12; major <= 18; major++) {
            for (CorpusCapture.Mode mode : CorpusCapture.modes(major)) {
                String name = "pg" + major + "-" + mode.name() + ".pgoc";
                try (InputStream in = CapturedCorpusTest.class.getResourceAsStream("/corpus/" + name)) {
                    if (in == null) {
                        fail("corpus file " + name + " is missing; re-capture with the command in README.md");
                    }
                    files.add(new CorpusFile(name, major, mode.name(), CapturedCorpus.read(in)));
                } catch (IOException e) {
                    throw new AssertionError("cannot read corpus file " + name, e);
                }
            }
        }
        return files;
    }

    private static Stream<DynamicTest> perFile(ThrowingCheck check) {
        return corpus().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> check.run(f)));
    }

    @FunctionalInterface
    interface ThrowingCheck {
        void run(CorpusFile file) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> everyMessageDecodesWithEveryDecoder() {
        List<DecoderProvider> providers = Decoders.supported();
        assertFalse(providers.isEmpty(), "no supported decoder: " + Decoders.describe());
        return corpus().stream().flatMap(f -> providers.stream().map(p -> DynamicTest.dynamicTest(
                f.name() + " [" + p.name() + "]", () -> {
                    List<PgOutputMessage> messages = decodeAll(p, f);
                    assertEquals(f.corpus().frames().size(), messages.size());
                })));
    }

    /**
     * Whole files in order, one decoder instance each, in lockstep ({@link Duel}); every message reaches
     * each decoder in a randomly chosen buffer shape (window, slice, direct, read-only, little-endian),
     * which must not matter. Each decoder's exact-length decode is checked above.
     */
    @TestFactory
    Stream<DynamicTest> decodersAgreeOnEveryFile() {
        List<List<DecoderProvider>> pairs = Decoders.pairs();
        if (pairs.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("needs two decoders", Decoders::assumeADuel));
        }
        return corpus().stream().flatMap(f -> pairs.stream().map(pair -> DynamicTest.dynamicTest(
                f.name() + " [" + pair.get(0).name() + " vs " + pair.get(1).name() + "]", () -> {
                    Duel duel = new Duel(pair);
                    SplittableRandom shapes = new SplittableRandom(f.name().hashCode());
                    List<CapturedCorpus.Frame> frames = f.corpus().frames();
                    for (int i = 0; i < frames.size(); i++) {
                        CapturedCorpus.Frame frame = frames.get(i);
                        duel.assertSameMessage(frame.payload(), shapes, frame.lsn(), f.name() + " message " + i + " " + frame);
                    }
                })));
    }

    /** Decodes a whole file with one fresh decoder; any DecodeException fails, naming the frame. */
    private static List<PgOutputMessage> decodeAll(DecoderProvider p, CorpusFile f) {
        PgOutputDecoder decoder = new MessageSequenceDecoder(p.create());
        List<PgOutputMessage> messages = new ArrayList<>();
        List<CapturedCorpus.Frame> frames = f.corpus().frames();
        for (int i = 0; i < frames.size(); i++) {
            CapturedCorpus.Frame frame = frames.get(i);
            Outcome o = Outcome.decode(p.name(), decoder, BufferShape.EXACT.wrap(frame.payload()), frame.lsn());
            if (o.failed()) {
                throw new AssertionError(p.name() + " cannot decode " + f.name() + " message " + i + " " + frame
                        + ": " + o + "\n  bytes: " + ConformanceProperties.hex(frame.payload()), o.error());
            }
            assertEquals(frame.type(), o.message().typeCode(), "type of message " + i);
            messages.add(o.message());
        }
        return messages;
    }

    @TestFactory
    Stream<DynamicTest> eachFileHoldsTheMessageTypesItsVersionSends() {
        return perFile(f -> {
            String expected = V1_TYPES + (f.major() >= 14 ? V2_TYPES : "") + (f.major() >= 15 ? V3_TYPES : "");
            Set<Character> actual = f.corpus().frames().stream().map(CapturedCorpus.Frame::type)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(chars(expected), actual, f.name());
        });
    }

    /** Facts about real streams that the engine relies on (PROTOCOL.md), read from the corpus. */
    @TestFactory
    Stream<DynamicTest> realStreamsShowTheDocumentedFacts() {
        DecoderProvider decoder = Decoders.supported().get(0);
        return perFile(f -> {
            List<CapturedCorpus.Frame> frames = f.corpus().frames();
            List<PgOutputMessage> m = decodeAll(decoder, f);
            for (int i = 0; i < frames.size(); i++) {
                long lsn = frames.get(i).lsn();
                switch (m.get(i)) {
                    case Relation r -> assertEquals(0, lsn, "Relation is written ahead of its change: LSN 0/0");
                    case dev.pgoutput.protocol.Type t -> assertEquals(0, lsn, "Type: LSN 0/0");
                    case Commit c -> {
                        assertEquals(c.endLsn(), lsn, "a Commit's XLogData LSN is its end_lsn");
                        assertTrue(c.commitLsn() < c.endLsn());
                    }
                    case Begin b -> {
                        // 0/0 when an Origin follows: pgoutput then writes BEGIN with last_write = false.
                        // PG15+ writes BEGIN lazily from the first published change's callback, so it gets
                        // that change's LSN; PG12-14 write it up front with the transaction's first_lsn,
                        // which can be an earlier record that is not sent (a TOAST chunk, a lock).
                        long firstChange = firstChangeAfter(frames, m, i);
                        if (m.get(i + 1) instanceof Origin) {
                            assertEquals(0, lsn, "BEGIN before an Origin, message " + i);
                        } else if (f.major() >= 15) {
                            assertEquals(firstChange, lsn, "BEGIN's XLogData LSN, message " + i);
                        } else {
                            assertTrue(lsn > 0 && lsn <= firstChange, "BEGIN's XLogData LSN, message " + i);
                        }
                        assertTrue(lsn < b.finalLsn());
                    }
                    default -> { }
                }
            }
            assertTrue(any(m, Origin.class, o -> o.name().equals("corpus_origin") && o.commitLsn() == 0x1234ABCDL),
                    "Origin with the session's origin name and LSN");
            assertTrue(any(m, Truncate.class, t -> t.options() == 3 && t.relationIds().size() == 2),
                    "TRUNCATE … RESTART IDENTITY CASCADE names both tables, options 3");
            assertTrue(any(m, Truncate.class, t -> t.options() == 0), "plain TRUNCATE, options 0");
            assertTrue(any(m, Update.class, u -> u.oldKind() == 'O' && hasKind(u.newTuple(), 'u')
                            && !hasKind(u.oldTuple(), 'u')),
                    "FULL: the old row has the toasted value, the new tuple still says 'u'");
            assertTrue(any(m, Update.class, u -> u.oldKind() == 0 && hasKind(u.newTuple(), 'u')),
                    "DEFAULT, key unchanged: no old part, the toasted value 'u'");
            assertTrue(any(m, Delete.class, d -> d.oldKind() == 'O'), "FULL delete: 'O'");
            // 'K' tuples carry every published column of the table (PROTOCOL.md left this open): the
            // replica-identity columns with their values, every other column as 'n'.
            java.util.Map<Integer, Relation> relations = new java.util.HashMap<>();
            int keyTuples = 0;
            for (PgOutputMessage msg : m) {
                TupleData key = null;
                int relationId = 0;
                if (msg instanceof Relation r) {
                    relations.put(r.relationId(), r);
                } else if (msg instanceof Update u && u.oldKind() == 'K') {
                    key = u.oldTuple();
                    relationId = u.relationId();
                } else if (msg instanceof Delete d && d.oldKind() == 'K') {
                    key = d.oldTuple();
                    relationId = d.relationId();
                }
                if (key != null) {
                    keyTuples++;
                    List<Relation.Column> columns = relations.get(relationId).columns();
                    assertEquals(columns.size(), key.columnCount(), "a 'K' tuple has every column: " + msg);
                    for (int c = 0; c < columns.size(); c++) {
                        boolean keyColumn = (columns.get(c).flags() & 1) != 0;
                        assertEquals(keyColumn, key.hasValue(c), "column " + c + " of " + msg);
                        assertTrue(keyColumn || key.isNull(c), "non-key column " + c + " of a 'K' tuple is 'n'");
                    }
                }
            }
            assertTrue(any(m, Update.class, u -> u.oldKind() == 'K'), "DEFAULT key change: 'K'");
            assertTrue(keyTuples >= 2, "key change and delete under DEFAULT");
            boolean binary = f.mode().equals("binary");
            assertEquals(binary, any(m, dev.pgoutput.protocol.Insert.class,
                    in -> hasKind(in.newTuple(), 'b') && hasKind(in.newTuple(), 't')),
                    "binary mode mixes 'b' and 't' (aclitem has no send function) in one tuple; text mode has no 'b'");
            if (f.major() >= 14) {
                assertTrue(any(m, LogicalMessage.class, lm -> !lm.transactional()), "non-transactional message");
                assertTrue(any(m, LogicalMessage.class, lm -> lm.transactional() && lm.xid() != 0),
                        "transactional message inside a streamed block, with its xid");
                assertTrue(any(m, StreamAbort.class, a -> a.subXid() != a.xid()), "subtransaction abort");
                // PG18 no longer streams a transaction it finds already aborted when memory runs short
                // (the capture decodes after the workload), so only PG14-17 show a top-level Stream Abort.
                assertEquals(f.major() < 18, any(m, StreamAbort.class, a -> a.subXid() == a.xid()),
                        "top-level streamed abort");
                boolean parallel = f.mode().equals("parallel");
                for (StreamAbort a : all(m, StreamAbort.class, a -> true)) {
                    assertEquals(parallel, a.abortLsn() != 0, "abort LSN only with streaming = parallel: " + a);
                }
            }
        });
    }

    @Test
    void readerRoundTripsItsFormatAndRejectsOthers() throws IOException {
        CapturedCorpus c = new CapturedCorpus(java.util.Map.of("k", "v"),
                List.of(new CapturedCorpus.Frame(42, new byte[] {'E'}), new CapturedCorpus.Frame(0, new byte[0])));
        assertEquals(c, CapturedCorpus.read(new java.io.ByteArrayInputStream(c.toBytes())));
        byte[] bytes = c.toBytes();
        bytes[0] = 'X';
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> CapturedCorpus.read(new java.io.ByteArrayInputStream(bytes)));
    }

    @Test
    void theCommittedCorpusStaysSmall() {
        long total = corpus().stream().flatMap(f -> f.corpus().frames().stream())
                .mapToLong(fr -> fr.payload().length + 12L).sum();
        assertTrue(total < 2L << 20, "corpus payload " + total + " bytes; trim it (CorpusCapture.KEPT_PER_RUN)");
    }

    /** The LSN of the first message after {@code begin} that is not written ahead (Relation, Type). */
    private static long firstChangeAfter(List<CapturedCorpus.Frame> frames, List<PgOutputMessage> m, int begin) {
        for (int k = begin + 1; k < m.size(); k++) {
            if (!(m.get(k) instanceof Relation) && !(m.get(k) instanceof dev.pgoutput.protocol.Type)) {
                return frames.get(k).lsn();
            }
        }
        throw new AssertionError("BEGIN without a change after it");
    }

    private static boolean hasKind(TupleData t, char kind) {
        if (t == null) {
            return false;
        }
        for (int i = 0; i < t.columnCount(); i++) {
            if (t.kind(i) == kind) {
                return true;
            }
        }
        return false;
    }

    private static <T> boolean any(List<PgOutputMessage> m, Class<T> type, Predicate<T> test) {
        return !all(m, type, test).isEmpty();
    }

    private static <T> List<T> all(List<PgOutputMessage> m, Class<T> type, Predicate<T> test) {
        return m.stream().filter(type::isInstance).map(type::cast).filter(test).toList();
    }

    private static Set<Character> chars(String s) {
        return s.chars().mapToObj(c -> (char) c).collect(Collectors.toCollection(TreeSet::new));
    }
}
