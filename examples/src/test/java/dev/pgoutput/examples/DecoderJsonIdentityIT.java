package dev.pgoutput.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.json.DebeziumJson;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "done means": one live workload, read once with the Panama decoder and once with the
 * ByteBuffer decoder (each from its own slot, both created before the workload so they see the same
 * changes), gives byte-identical Debezium JSON once the processing-time fields are removed.
 */
class DecoderJsonIdentityIT {

    /** When the reader handled the event, not when the server committed it: the only fields allowed to differ. */
    private static final Set<String> PROCESSING_TIME_FIELDS = Set.of("ts_ms", "ts_us", "ts_ns");

    private static final String PUBLICATION = "identity_pub";
    private static final String MARKER_TABLE = "public.identity_end";
    private static final JsonFactory JSON = new JsonFactory();

    @RegisterExtension static final PostgresExtension PG = PostgresExtension.version(17);

    private static PostgresServer server;

    /**
     * A database of this class's own on the shared server: the publication is for all tables, and the
     * names of the type and tables are then free. Slot names are server-wide, so they carry its name.
     */
    private static String database;

    @BeforeAll
    static void createWorkloadDatabase(PostgresServer shared) throws SQLException {
        server = shared;
        database = "identity_" + ProcessHandle.current().pid();
        server.createDatabase(database);
        execute(
                "CREATE TYPE colour AS ENUM ('red', 'green', 'blue')",
                "CREATE TABLE mixed (id bigint PRIMARY KEY, small smallint, big bigint, price numeric(20,6), "
                        + "ratio double precision, name varchar(80), note text, flag boolean, born date, "
                        + "seen timestamptz, moment timestamp, uid uuid, doc jsonb, raw bytea, nums integer[], "
                        + "colour colour, span interval, addr inet)",
                "CREATE TABLE docs (id integer PRIMARY KEY, title text, body text)",
                // Out of line without compression, so an update that leaves body alone sends it as 'u'.
                "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL",
                "CREATE TABLE history (id integer, what text, body text)",
                "ALTER TABLE history REPLICA IDENTITY FULL",
                "ALTER TABLE history ALTER COLUMN body SET STORAGE EXTERNAL",
                "CREATE TABLE identity_end (id integer PRIMARY KEY)",
                "CREATE PUBLICATION " + PUBLICATION + " FOR ALL TABLES",
                "SELECT pg_create_logical_replication_slot('" + slot("panama") + "', 'pgoutput')",
                "SELECT pg_create_logical_replication_slot('" + slot("bytebuffer") + "', 'pgoutput')");
    }

    /** Drops the database, and the slots with it: they would keep WAL and slots of the shared server. */
    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            server.dropDatabase(database);
        }
    }

    private static String slot(String decoder) {
        return database + "_" + decoder;
    }

    @Test
    void bothDecodersGiveByteIdenticalJson() throws Exception {
        runWorkload();
        List<String> panama = read(slot("panama"), "panama");
        List<String> bytebuffer = read(slot("bytebuffer"), "bytebuffer");

        assertTrue(panama.size() >= 20, "the workload made " + panama.size() + " events");
        assertEquals(panama.size(), bytebuffer.size(), "event counts");
        for (int i = 0; i < panama.size(); i++) {
            assertEquals(withoutProcessingTime(panama.get(i)), withoutProcessingTime(bytebuffer.get(i)),
                    "event " + i + " differs between the decoders");
        }
        String all = String.join("\n", panama);
        // The workload reached what it was written for (else identical JSON would prove little).
        assertTrue(all.contains("\"op\":\"t\""), "a truncate event");
        assertTrue(all.contains("𝄞"), "a supplementary character survives");
        assertTrue(all.contains("\"note\":null"), "NULLs");
        assertTrue(withoutProcessingTime(panama.get(0)).contains("\"ts_ms\":"),
                "source.ts_ms (commit time) stays in the compared text");
    }

    @Test
    void onlyTopLevelProcessingTimesAreCut() throws IOException {
        assertEquals("{\"a\":{\"ts_ms\":5,\"b\":[1]},\"op\":\"c\"}", withoutProcessingTime(
                "{\"ts_ns\":3,\"a\":{\"ts_ms\":5,\"b\":[1]},\"ts_ms\":1,\"op\":\"c\",\"ts_us\":2}"));
    }

    private static void runWorkload() throws SQLException {
        String big = "repeat('Grüße, 世界! ', 400)";
        execute(
                "INSERT INTO mixed VALUES (1, 32767, 9223372036854775807, 12345678901234.567890, 1.5e300, "
                        + "'Ada', 'plain', true, '2024-02-29', '2024-02-29 23:59:59.999999+05:30', "
                        + "'2000-01-01 00:00:00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
                        + "'{\"k\": [1, 2.50, null, \"ü\"]}', '\\x00ff10', '{1,NULL,3}', 'green', "
                        + "'1 year 2 mons 3 days 04:05:06.789', '192.168.0.1/24')",
                "INSERT INTO mixed (id, small, name, note) VALUES (2, -32768, 'ünïcødé ☃ 𝄞 \"quoted\" \\ back', NULL)",
                "INSERT INTO mixed (id, ratio, seen, born) VALUES (3, 'NaN', 'infinity', '-infinity')",
                "INSERT INTO mixed (id, ratio, price, nums) VALUES (4, '-Infinity', -0.000001, '{}')",
                "UPDATE mixed SET note = 'changed', flag = NULL WHERE id = 1",
                "UPDATE mixed SET id = 10 WHERE id = 2",
                "DELETE FROM mixed WHERE id = 3",
                "INSERT INTO docs VALUES (1, 'toasted', " + big + ")",
                "UPDATE docs SET title = 'toast unchanged' WHERE id = 1",
                "UPDATE docs SET body = body || '!' WHERE id = 1",
                "INSERT INTO history VALUES (1, 'created', " + big + ")",
                "UPDATE history SET what = 'renamed' WHERE id = 1",
                "DELETE FROM history WHERE id = 1",
                "DELETE FROM docs WHERE id = 1");
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO mixed (id, name) SELECT g, 'row ' || g FROM generate_series(100, 119) g");
            s.execute("UPDATE mixed SET big = id * 1000 WHERE id >= 100");
            s.execute("DELETE FROM mixed WHERE id >= 110");
            c.commit();
        }
        execute("TRUNCATE docs, history",
                "INSERT INTO identity_end VALUES (1)");
    }

    /** Reads the slot up to the marker row, serializing each event to one compact JSON line. */
    private static List<String> read(String slot, String decoder) {
        List<String> lines = new ArrayList<>();
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(server.host()).port(server.port()).database(database)
                .user(server.user()).password(server.password())
                .publication(PUBLICATION).slot(slot)
                .decoder(decoder)
                .build()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                ChangeEvent e = reader.poll(Duration.ofMillis(200));
                if (e == null) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(decoder + ": no marker within 60 s after " + lines.size() + " events");
                    }
                    continue;
                }
                if (MARKER_TABLE.equals(e.tableName())) {
                    return lines;
                }
                lines.add(DebeziumJson.toJson(e, 0));
            }
        }
    }

    /**
     * Cuts the top-level {@code ts_ms}, {@code ts_us} and {@code ts_ns} (with their comma) out of the text
     * and leaves every other byte alone, so that a difference in formatting still fails. Nested ones
     * ({@code source.ts_ms}, the commit time) stay.
     */
    static String withoutProcessingTime(String json) throws IOException {
        StringBuilder out = new StringBuilder(json);
        List<int[]> cuts = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            int depth = 0;
            int lastEnd = -1; // end of the previous top-level member, i.e. where its trailing comma starts
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                    if (depth == 1) {
                        lastEnd = (int) p.currentLocation().getCharOffset();
                    }
                } else if (t == JsonToken.FIELD_NAME && depth == 1) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        depth++;
                        continue;
                    }
                    p.finishToken(); // strings are parsed lazily: without this the location is inside the value
                    int end = (int) p.currentLocation().getCharOffset();
                    if (PROCESSING_TIME_FIELDS.contains(name)) {
                        // The first member has no comma before it: take the one after it instead.
                        cuts.add(lastEnd >= 0 ? new int[] {lastEnd, end}
                                : new int[] {start, json.charAt(end) == ',' ? end + 1 : end});
                    }
                    lastEnd = end;
                }
            }
        }
        assertEquals(PROCESSING_TIME_FIELDS.size(), cuts.size(), "top-level processing-time fields in " + json);
        for (int i = cuts.size() - 1; i >= 0; i--) {
            out.delete(cuts.get(i)[0], cuts.get(i)[1]);
        }
        return out.toString();
    }

    private static void execute(String... statements) throws SQLException {
        try (Connection c = server.connect(database); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
