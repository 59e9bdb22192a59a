package dev.pgoutput.conformance;

import dev.pgoutput.protocol.Begin;
import dev.pgoutput.protocol.BeginPrepare;
import dev.pgoutput.protocol.Commit;
import dev.pgoutput.protocol.CommitPrepared;
import dev.pgoutput.protocol.Delete;
import dev.pgoutput.protocol.Insert;
import dev.pgoutput.protocol.LogicalMessage;
import dev.pgoutput.protocol.Origin;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.protocol.Prepare;
import dev.pgoutput.protocol.Relation;
import dev.pgoutput.protocol.RollbackPrepared;
import dev.pgoutput.protocol.StreamAbort;
import dev.pgoutput.protocol.StreamCommit;
import dev.pgoutput.protocol.StreamPrepare;
import dev.pgoutput.protocol.StreamStart;
import dev.pgoutput.protocol.StreamStop;
import dev.pgoutput.protocol.Truncate;
import dev.pgoutput.protocol.TupleData;
import dev.pgoutput.protocol.Type;
import dev.pgoutput.protocol.Update;
import dev.pgoutput.testing.PgOutputEncoder;
import dev.pgoutput.testing.TupleBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes the committed seed inputs of {@link DifferentialFuzzTest}: one file per message shape for
 * {@code oneMessage}, and whole flows (plain, streamed, two-phase) framed for {@code messageSequence}.
 * The values are the ones a server sends for a small {@code public.users} table. Run from the module
 * folder after changing the encoder:
 *
 * <pre>
 * java -cp target/test-classes:$(cat target/cp.txt) dev.pgoutput.conformance.SeedInputs src/test/resources
 * </pre>
 */
final class SeedInputs {

    private static final int USERS = 16_390;
    private static final int XID = 771;

    private SeedInputs() {
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args.length > 0 ? args[0] : "src/test/resources")
                .resolve("dev/pgoutput/conformance/DifferentialFuzzTestInputs");
        Path one = Files.createDirectories(base.resolve("oneMessage"));
        Path sequence = Files.createDirectories(base.resolve("messageSequence"));

        Map<String, PgOutputMessage> plain = new LinkedHashMap<>();
        plain.put("begin", new Begin(0x1A2B3C8L, 784_000_000_000_000L, XID));
        plain.put("commit", new Commit(0, 0x1A2B3C8L, 0x1A2B3F8L, 784_000_000_000_000L));
        plain.put("origin", new Origin(0x9000L, "node_a"));
        plain.put("relation", users(0));
        plain.put("relation-empty", new Relation(0, 16_400, "", "nocols", 'n', List.of()));
        plain.put("type", new Type(0, 90_001, "public", "mood"));
        plain.put("insert", new Insert(0, USERS, row("1", "alice", null)));
        plain.put("update-no-old", new Update(0, USERS, (char) 0, null, row("1", "alicia", "u")));
        plain.put("update-old-key", new Update(0, USERS, 'K', key("1"), row("2", "alicia", "u")));
        plain.put("update-old-row", new Update(0, USERS, 'O', row("1", "alice", "2024-05-01 10:00:00+00"),
                row("1", "bob", "u")));
        plain.put("delete-key", new Delete(0, USERS, 'K', key("1")));
        plain.put("delete-row", new Delete(0, USERS, 'O', row("1", "bob", null)));
        plain.put("truncate", new Truncate(0, Truncate.CASCADE | Truncate.RESTART_IDENTITY, List.of(USERS, 16_400)));
        plain.put("message", new LogicalMessage(0, false, 0x1A2B000L, "audit", "{\"who\":\"me\"}".getBytes(StandardCharsets.UTF_8)));
        plain.put("stream-start", new StreamStart(XID, true));
        plain.put("stream-stop", new StreamStop());
        plain.put("stream-commit", new StreamCommit(XID, 0, 0x1A2B3C8L, 0x1A2B3F8L, 784_000_000_000_000L));
        plain.put("stream-abort", new StreamAbort(XID, XID + 1, 0, 0));
        plain.put("stream-abort-v4", new StreamAbort(XID, XID, 0x1A2B3C8L, 784_000_000_000_000L));
        plain.put("begin-prepare", new BeginPrepare(0x1A2B3C8L, 0x1A2B3F8L, 784_000_000_000_000L, XID, "gid-1"));
        plain.put("prepare", new Prepare(0, 0x1A2B3C8L, 0x1A2B3F8L, 784_000_000_000_000L, XID, "gid-1"));
        plain.put("commit-prepared", new CommitPrepared(0, 0x1A2B400L, 0x1A2B430L, 784_000_000_100_000L, XID, "gid-1"));
        plain.put("rollback-prepared", new RollbackPrepared(0, 0x1A2B3F8L, 0x1A2B430L, 784_000_000_000_000L,
                784_000_000_100_000L, XID, "gid-1"));
        plain.put("stream-prepare", new StreamPrepare(0, 0x1A2B3C8L, 0x1A2B3F8L, 784_000_000_000_000L, XID, "gid-2"));
        for (Map.Entry<String, PgOutputMessage> e : plain.entrySet()) {
            Files.write(one.resolve(e.getKey()), new PgOutputEncoder().encode(e.getValue()).bytes());
        }
        // The streamed layouts of the xid-carrying messages, for oneMessage's in-block decoder.
        PgOutputEncoder inBlock = new PgOutputEncoder();
        inBlock.encode(new StreamStart(XID, true));
        Files.write(one.resolve("streamed-insert"), inBlock.encode(new Insert(XID, USERS, row("3", "carol", null))).bytes());
        Files.write(one.resolve("streamed-relation"), inBlock.encode(users(XID)).bytes());

        Files.write(sequence.resolve("plain-transaction"), framed(List.of(
                plain.get("begin"), plain.get("relation"), plain.get("insert"), plain.get("update-old-key"),
                plain.get("delete-key"), plain.get("commit"))));
        Files.write(sequence.resolve("streamed-transaction"), framed(List.of(
                new StreamStart(XID, true), users(XID), new Insert(XID, USERS, row("4", "dave", null)),
                new StreamStop(), new StreamStart(XID, false), new Delete(XID, USERS, 'K', key("4")),
                new StreamStop(), plain.get("stream-abort"), plain.get("stream-commit"))));
        Files.write(sequence.resolve("two-phase"), framed(List.of(
                plain.get("begin-prepare"), plain.get("insert"), plain.get("prepare"), plain.get("commit-prepared"))));
        Files.write(sequence.resolve("seed"), new byte[0]);
        Files.write(one.resolve("seed"), new byte[0]);
    }

    /** Messages encoded in order (so xids appear inside blocks), each behind an Int16 length. */
    static byte[] framed(List<PgOutputMessage> messages) {
        PgOutputEncoder encoder = new PgOutputEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PgOutputMessage m : messages) {
            byte[] bytes = encoder.encode(m).bytes();
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }

    private static Relation users(int xid) {
        return new Relation(xid, USERS, "public", "users", Relation.IDENTITY_DEFAULT, List.of(
                new Relation.Column(1, "id", 23, -1),
                new Relation.Column(0, "name", 1043, 68),
                new Relation.Column(0, "created_at", 1184, -1)));
    }

    /** id, name and created_at as text; "u" marks an unchanged TOAST column, null a NULL. */
    private static TupleData row(String id, String name, String createdAt) {
        TupleBuilder t = new TupleBuilder(new SplittableRandom(0), 3);
        for (String v : new String[] {id, name, createdAt}) {
            if (v == null) {
                t.nullValue();
            } else if (v.equals("u")) {
                t.unchangedToast();
            } else {
                t.value(TupleData.TEXT, v.getBytes(StandardCharsets.UTF_8));
            }
        }
        return t.build();
    }

    private static TupleData key(String id) {
        return new TupleBuilder(new SplittableRandom(0), 3)
                .value(TupleData.TEXT, id.getBytes(StandardCharsets.UTF_8)).nullValue().nullValue().build();
    }
}
