package dev.pgoutput.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Guards the generator itself: properties over a generator that quietly stopped producing some message
 * type or edge case would stay green while testing less. 2,000 sessions from a fixed seed must contain
 * every message type, every tuple kind and every listed oddity, and keep the protocol's own rules.
 */
class GeneratorCoverageTest {

    /** Units per session, as in the conformance suite's default run. */
    private static final int UNITS = 4;

    @Test
    void generatorReachesEveryMessageTypeAndEdgeCase() {
        SplittableRandom random = new SplittableRandom(42);
        Set<String> seen = new TreeSet<>();
        for (int s = 0; s < 2_000; s++) {
            PgOutputGenerator.Session session = new PgOutputGenerator(random, UNITS).session();
            PgOutputEncoder encoder = new PgOutputEncoder();
            Set<Integer> described = new java.util.HashSet<>();
            for (PgOutputMessage m : session.messages()) {
                boolean inBlock = encoder.inStreamBlock();
                seen.add("type " + m.typeCode());
                checkXidRule(m, inBlock);
                if (m instanceof Relation r) {
                    described.add(r.relationId());
                    int n = r.columns().size();
                    if (n == 0) {
                        seen.add("zero-column relation");
                    }
                    if (n == PgOutputGenerator.MAX_COLUMNS) {
                        seen.add("1600-column relation");
                    }
                    if (r.namespace().isEmpty()) {
                        seen.add("empty namespace");
                    }
                    names(seen, r.name());
                    r.columns().forEach(c -> names(seen, c.name()));
                } else if (m instanceof Insert i) {
                    tuple(seen, i.newTuple(), described.contains(i.relationId()));
                } else if (m instanceof Update u) {
                    seen.add("update old " + (u.oldKind() == 0 ? "none" : String.valueOf(u.oldKind())));
                    tuple(seen, u.newTuple(), described.contains(u.relationId()));
                } else if (m instanceof Delete d) {
                    tuple(seen, d.oldTuple(), described.contains(d.relationId()));
                } else if (m instanceof StreamAbort a) {
                    seen.add(a.abortLsn() != 0 ? "abort with v4 tail" : "abort without tail");
                } else if (m instanceof LogicalMessage lm) {
                    seen.add(lm.transactional() ? "transactional message" : "plain message");
                } else if (m instanceof Type t) {
                    names(seen, t.name());
                }
                if (inBlock && !(m instanceof dev.pgoutput.protocol.StreamStart)) {
                    seen.add("xid-tagged " + m.typeCode());
                }
                encoder.encode(m);
            }
        }
        for (char type : "BCORYIUDTMSEcAbPKrp".toCharArray()) {
            assertTrue(seen.contains("type " + type), "never generated message type " + type + "; seen " + seen);
        }
        for (String edge : new String[] {"zero-column relation", "1600-column relation", "empty namespace",
            "63-byte name", "name over 63 bytes", "non-ASCII name", "supplementary character",
            "kind n", "kind u", "kind t", "kind b", "update old none", "update old K", "update old O",
            "abort with v4 tail", "abort without tail", "transactional message", "plain message",
            "xid-tagged R", "xid-tagged Y", "xid-tagged I", "xid-tagged U", "xid-tagged D", "xid-tagged T",
            "xid-tagged M"}) {
            assertTrue(seen.contains(edge), "never generated: " + edge + "; seen " + seen);
        }
    }

    /** The model's xid is non-zero exactly where the wire carries it. */
    private static void checkXidRule(PgOutputMessage m, boolean inBlock) {
        int xid = m instanceof Relation r ? r.xid()
                : m instanceof Type t ? t.xid()
                : m instanceof Insert i ? i.xid()
                : m instanceof Update u ? u.xid()
                : m instanceof Delete d ? d.xid()
                : m instanceof Truncate tr ? tr.xid()
                : m instanceof LogicalMessage lm ? lm.xid()
                : -1;
        if (xid != -1) {
            assertEquals(inBlock, xid != 0, "xid " + xid + " on " + m + " (in block: " + inBlock + ")");
        }
    }

    private static void tuple(Set<String> seen, TupleData t, boolean relationSentBefore) {
        assertTrue(relationSentBefore, "a change before its Relation");
        for (int i = 0; i < t.columnCount(); i++) {
            seen.add("kind " + (char) t.kind(i));
        }
    }

    private static void names(Set<String> seen, String name) {
        int bytes = Names.utf8Length(name);
        if (bytes == Names.MAX_IDENTIFIER_BYTES) {
            seen.add("63-byte name");
        } else if (bytes > Names.MAX_IDENTIFIER_BYTES) {
            seen.add("name over 63 bytes");
        }
        if (bytes != name.length()) {
            seen.add("non-ASCII name");
        }
        if (name.codePoints().anyMatch(Character::isSupplementaryCodePoint)) {
            seen.add("supplementary character");
        }
    }
}
