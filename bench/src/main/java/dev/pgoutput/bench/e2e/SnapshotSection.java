package dev.pgoutput.bench.e2e;

import dev.pgoutput.bench.e2e.SnapshotContenders.SnapshotContender;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The snapshot section (issue 13): one table of W1's shape filled once, then copied whole by each contender
 * in turn, each in a process of its own: {@code psql}'s {@code COPY … TO STDOUT} (the server's own cost),
 * this library's {@code INITIAL_ONLY} snapshot at several parallelisms (every value touched, or every event
 * written as Debezium JSON), and Debezium's {@code snapshot.mode=initial_only}.
 *
 * <p>The table is vacuumed and analysed after the load: the rows' hint bits are set and the visibility map
 * is written before the first contender (otherwise the first copy pays for them), {@code reltuples} and
 * {@code relpages} are known (this library plans its page ranges from them), and the table's pages are
 * read once, so every contender finds them in the operating system's cache.
 */
final class SnapshotSection {

    /** The snapshot table: W1's columns, no updates or deletes. */
    record Table(String name) {
        String qualifiedName() {
            return "public." + name;
        }

        String publication() {
            return name + "_pub";
        }
    }

    static final Table TABLE = new Table("s1");

    private SnapshotSection() {
    }

    /** What the section copies, for the report. */
    static String description(long rows) {
        return String.format(Locale.ROOT, "%,d rows of W1's 6 columns (bigint key, text, numeric(12,2), timestamptz, "
                + "boolean, jsonb) copied whole", rows);
    }

    /** Fills the table with {@code rows} rows and lets each contender copy it. */
    static List<SnapshotResult> run(EmbeddedPostgres pg, long rows, List<SnapshotContender> contenders)
            throws Exception {
        try (Connection c = pg.connect()) {
            Workload.createSixColumnTable(c, TABLE.name());
            Workload.execute(c, "CREATE PUBLICATION " + TABLE.publication() + " FOR TABLE " + TABLE.qualifiedName());
            System.err.printf("snapshot: writing %,d rows%n", rows);
            long start = System.nanoTime();
            for (long first = 1; first <= rows; first += 100_000) {
                Workload.execute(c, Workload.insertSixColumns(TABLE.name(), (int) first, (int) Math.min(rows, first + 99_999)));
            }
            Workload.execute(c, "VACUUM (FREEZE, ANALYZE) " + TABLE.qualifiedName());
            System.err.printf(Locale.ROOT, "snapshot: %,d rows written and vacuumed in %.1f s, %s%n", rows,
                    (System.nanoTime() - start) / 1e9, queryOne(c, "SELECT pg_size_pretty(pg_table_size('"
                            + TABLE.qualifiedName() + "'))"));
        }
        List<SnapshotResult> results = new ArrayList<>();
        for (SnapshotContender contender : contenders) {
            String slot = contender.slotSuffix() == null ? null : TABLE.name() + "_" + contender.slotSuffix();
            System.err.printf("snapshot: copying with %s (load average %s)%n", contender.label(),
                    EndToEndMain.loadAverage());
            SnapshotResult r;
            ServerCpuWatch server = ServerCpuWatch.start(pg);
            try {
                r = contender.copy(pg, TABLE, rows, slot);
            } finally {
                if (server != null) {
                    server.close();
                }
            }
            if (server != null && r.ran()) {
                r = r.withServerCpu(server.cpuSeconds());
            }
            if (r.ran()) {
                System.err.printf(Locale.ROOT, "snapshot: %s: %,.0f rows/s, %.2f s CPU, server %.2f s CPU%n",
                        contender.label(), r.rowsPerSecond(), r.cpuSeconds(), r.serverCpuSeconds());
            } else {
                System.err.printf("snapshot: %s skipped: %s%n", contender.label(), r.skipped());
            }
            results.add(r);
            if (slot != null) {
                dropLeftSlot(pg, slot, contender);
            }
        }
        return results;
    }

    /**
     * Drops the contender's slot if it is still there. This library's {@code INITIAL_ONLY} drops the slot it
     * made (one still there is reported); Debezium's engine is halted without stopping, so its slot stays,
     * held for a moment by a walsender that has not yet seen its client leave.
     */
    private static void dropLeftSlot(EmbeddedPostgres pg, String slot, SnapshotContender contender) throws Exception {
        try (Connection c = pg.connect();
             PreparedStatement st = c.prepareStatement("SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?");
             PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            st.setString(1, slot);
            drop.setString(1, slot);
            for (int attempt = 0; attempt < 100; attempt++) {
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    if (rs.getObject(1) == null) {
                        if (contender.label().startsWith("pgoutput-decoder")) {
                            System.err.printf("snapshot: %s left its slot %s behind (dropped now)%n", contender.label(),
                                    slot);
                        }
                        drop.execute();
                        return;
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("slot " + slot + " is still in use 10 s after its contender ended");
        }
    }

    private static String queryOne(Connection c, String sql) throws Exception {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
