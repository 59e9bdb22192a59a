package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.UnchangedToast;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays a mixed workload from the events alone and checks that the result is exactly what
 * {@code SELECT} returns: inserts, updates (key and non-key) and deletes over two tables with replica
 * identity DEFAULT and FULL, NULLs, unicode and large TOASTed text, in many transactions.
 */
class ReplayIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static final String[] WORDS = {"plain", "Zoë", "日本語", "emoji 🎉", "quote ' and \" and \\", "", "tab\tnew\nline"};

    @ParameterizedTest(name = "decoder {0}")
    @ValueSource(strings = {"bytebuffer", "panama"})
    void replayedEventsEqualTheTables(String decoder, PostgresServer server) throws Exception {
        Database db = Database.on(server, "replay_" + decoder);
        String suffix = db.slot.substring(5);
        List<String> tables = List.of("rd_" + suffix, "rf_" + suffix);
        for (String t : tables) {
            db.execute("CREATE TABLE " + t + " (id bigint PRIMARY KEY, name text, qty int, price numeric(12,3), "
                    + "ok boolean, body text)");
        }
        db.execute("ALTER TABLE " + tables.get(1) + " REPLICA IDENTITY FULL");
        db.createPublicationAndSlot(String.join(", ", tables));

        Random random = new Random(20261124L);
        int statements = 0;
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            Map<String, List<Long>> live = new HashMap<>();
            long nextId = 1;
            for (int tx = 0; tx < 60; tx++) {
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    String t = tables.get(random.nextInt(tables.size()));
                    List<Long> ids = live.computeIfAbsent(t, k -> new ArrayList<>());
                    int action = ids.isEmpty() ? 0 : random.nextInt(10);
                    if (action < 4) {
                        long id = nextId++;
                        s.execute("INSERT INTO " + t + " VALUES (" + id + ", " + text(random) + ", "
                                + (random.nextInt(5) == 0 ? "NULL" : Integer.toString(random.nextInt())) + ", "
                                + (random.nextInt(5) == 0 ? "NULL" : random.nextInt(1_000_000) + "." + random.nextInt(1000)) + ", "
                                + (random.nextBoolean() ? "true" : "NULL") + ", " + body(random) + ")");
                        ids.add(id);
                    } else if (action < 6) {
                        long id = ids.get(random.nextInt(ids.size()));
                        // Leaves body untouched: a TOASTed body arrives as "unchanged".
                        s.execute("UPDATE " + t + " SET qty = " + random.nextInt(100) + ", name = " + text(random)
                                + " WHERE id = " + id);
                    } else if (action < 7) {
                        long id = ids.get(random.nextInt(ids.size()));
                        s.execute("UPDATE " + t + " SET body = " + body(random) + " WHERE id = " + id);
                    } else if (action < 8) {
                        int index = random.nextInt(ids.size());
                        long newId = nextId++;
                        s.execute("UPDATE " + t + " SET id = " + newId + " WHERE id = " + ids.get(index));
                        ids.set(index, newId);
                    } else {
                        long id = ids.remove(random.nextInt(ids.size()));
                        s.execute("DELETE FROM " + t + " WHERE id = " + id);
                    }
                    statements++;
                }
                if (random.nextInt(10) == 0) {
                    c.rollback();
                    live.clear();
                    // Re-read what really exists after a rollback.
                    for (String t : tables) {
                        List<Long> ids = new ArrayList<>();
                        try (ResultSet rs = s.executeQuery("SELECT id FROM " + t)) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                            }
                        }
                        live.put(t, ids);
                    }
                } else {
                    c.commit();
                }
            }
        }

        Map<String, Map<Object, Map<String, Object>>> replica = new HashMap<>();
        for (String t : tables) {
            replica.put("public." + t, new LinkedHashMap<>());
        }
        try (LogicalReplicationReader reader = db.reader().decoder(decoder).build()) {
            int applied = 0;
            while (true) {
                ChangeEvent e = reader.poll(java.time.Duration.ofSeconds(2));
                if (e == null) {
                    break;
                }
                apply(replica.get(e.tableName()), e);
                applied++;
            }
            assertEquals(true, applied > 0 && applied <= statements, "applied " + applied + " of " + statements);
        } finally {
            db.dropSlot();
        }
        for (String t : tables) {
            assertEquals(select(server, t), replica.get("public." + t), "table " + t);
        }
    }

    private static void apply(Map<Object, Map<String, Object>> rows, ChangeEvent e) {
        switch (e.op()) {
            case CREATE -> rows.put(e.after().get("id"), copy(e.after(), null));
            case UPDATE -> {
                Object oldId = e.before() != null ? e.before().get("id") : e.after().get("id");
                Map<String, Object> previous = rows.remove(oldId);
                rows.put(e.after().get("id"), copy(e.after(), previous));
            }
            case DELETE -> rows.remove(e.before().get("id"));
            default -> throw new AssertionError("unexpected " + e);
        }
    }

    /** Copies a row, keeping the stored value of columns the server did not resend. */
    private static Map<String, Object> copy(Map<String, Object> row, Map<String, Object> previous) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (v == UnchangedToast.VALUE) {
                assertNotSame(null, previous, "unchanged value for a row never seen");
                out.put(k, previous.get(k));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<Object, Map<String, Object>> select(PostgresServer server, String table) throws Exception {
        Map<Object, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(md.getColumnName(i), v);
                }
                rows.put(rs.getLong("id"), row);
            }
        }
        return rows;
    }

    private static String text(Random random) {
        if (random.nextInt(6) == 0) {
            return "NULL";
        }
        return "'" + WORDS[random.nextInt(WORDS.length)].replace("'", "''") + " " + random.nextInt(1000) + "'";
    }

    private static String body(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "NULL";
            case 1 -> "'short body'";
            // Incompressible and far above the TOAST threshold: stored out of line.
            default -> "(SELECT string_agg(md5(g::text || '" + random.nextInt() + "'), '') FROM generate_series(1, "
                    + (100 + random.nextInt(400)) + ") g)";
        };
    }
}
