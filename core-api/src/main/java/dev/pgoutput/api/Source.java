package dev.pgoutput.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a change came from: Debezium's PostgreSQL {@code source} block.
 *
 * @param version   this library's version
 * @param connector always {@code "pgoutput-decoder"}
 * @param name      the logical server name set with the builder's {@code name(...)}
 * @param tsMs      commit time of the transaction, milliseconds since the Unix epoch
 * @param snapshot  {@code "false"} for streamed changes
 * @param db        database name
 * @param schema    schema of the table, or {@code null}
 * @param table     table name, or {@code null}
 * @param txId      transaction id, or {@code null} when there is none
 * @param lsn       WAL position of the change
 * @param xmin      always {@code null} (Debezium's xmin tracking is not offered)
 * @param sequence  Debezium's sequence: a JSON array string {@code ["<last commit LSN>","<lsn>"]}
 * @param commitLsn WAL position of the transaction's commit record (0 when unknown); events of one
 *                  transaction share it and it grows with every transaction in delivery order
 * @param origin    the replication origin the transaction came from (the server's Origin message, for
 *                  changes applied by another replication), or {@code null} for local changes
 * @param gid       the global transaction identifier of a prepared transaction (two-phase commit,
 *                  {@code PREPARE TRANSACTION 'gid'}), or {@code null} for an ordinary transaction
 */
public record Source(String version, String connector, String name, long tsMs, String snapshot, String db,
                     String schema, String table, Long txId, long lsn, Long xmin, String sequence,
                     long commitLsn, String origin, String gid) {

    /** A source block of an ordinary (not prepared) transaction. */
    public Source(String version, String connector, String name, long tsMs, String snapshot, String db,
                  String schema, String table, Long txId, long lsn, Long xmin, String sequence, long commitLsn,
                  String origin) {
        this(version, connector, name, tsMs, snapshot, db, schema, table, txId, lsn, xmin, sequence, commitLsn, origin,
                null);
    }

    /** A source block of a local change (no replication origin). */
    public Source(String version, String connector, String name, long tsMs, String snapshot, String db,
                  String schema, String table, Long txId, long lsn, Long xmin, String sequence, long commitLsn) {
        this(version, connector, name, tsMs, snapshot, db, schema, table, txId, lsn, xmin, sequence, commitLsn, null,
                null);
    }

    /** The connector name written in every source block. */
    public static final String CONNECTOR = "pgoutput-decoder";

    /**
     * The source block as Debezium writes it, in Debezium's field order, with {@code origin} after them
     * when the change came from a replication origin and {@code gid} when it is from a prepared
     * transaction.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version);
        m.put("connector", connector);
        m.put("name", name);
        m.put("ts_ms", tsMs);
        m.put("snapshot", snapshot);
        m.put("db", db);
        m.put("schema", schema);
        m.put("table", table);
        m.put("lsn", lsn);
        m.put("txId", txId);
        m.put("sequence", sequence);
        m.put("xmin", xmin);
        if (origin != null) {
            m.put("origin", origin);
        }
        if (gid != null) {
            m.put("gid", gid);
        }
        return m;
    }
}
