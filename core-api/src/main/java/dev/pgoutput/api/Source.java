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
 * @param sequence  Debezium's sequence: a JSON array string {@code ["<last commit LSN>","<lsn>"]}, the last commit
 *                  being where the previous transaction's commit record ends, as Debezium writes it
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

    /** The connector name written in every source block. */
    public static final String CONNECTOR = "pgoutput-decoder";

    /**
     * A builder, so that source blocks can be made field by field and new fields do not need new
     * constructors. {@code connector} starts as {@link #CONNECTOR} and {@code snapshot} as {@code "false"} (a
     * streamed change); every other field is {@code null} or 0 until set.
     *
     * <pre>{@code
     * Source s = Source.builder().version("1.0").name("srv").db("shop").schema("public").table("users")
     *         .txId(742L).lsn(lsn).tsMs(commitMs).sequence("[\"1\",\"2\"]").build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link Source}; see {@link Source#builder()} for the starting values. */
    public static final class Builder {

        private String version;
        private String connector = CONNECTOR;
        private String name;
        private long tsMs;
        private String snapshot = "false";
        private String db;
        private String schema;
        private String table;
        private Long txId;
        private long lsn;
        private Long xmin;
        private String sequence;
        private long commitLsn;
        private String origin;
        private String gid;

        private Builder() {
        }

        /** This library's version. */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** The connector name; {@link Source#CONNECTOR} unless set. */
        public Builder connector(String connector) {
            this.connector = connector;
            return this;
        }

        /** The logical server name. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Commit time of the transaction, milliseconds since the Unix epoch. */
        public Builder tsMs(long tsMs) {
            this.tsMs = tsMs;
            return this;
        }

        /** Debezium's snapshot marker; {@code "false"} unless set. */
        public Builder snapshot(String snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** Database name. */
        public Builder db(String db) {
            this.db = db;
            return this;
        }

        /** Schema of the table. */
        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        /** Table name. */
        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** Transaction id, or {@code null} when there is none. */
        public Builder txId(Long txId) {
            this.txId = txId;
            return this;
        }

        /** WAL position of the change. */
        public Builder lsn(long lsn) {
            this.lsn = lsn;
            return this;
        }

        /** Debezium's xmin; this library always leaves it {@code null}. */
        public Builder xmin(Long xmin) {
            this.xmin = xmin;
            return this;
        }

        /** Debezium's sequence, a JSON array string {@code ["<last commit LSN>","<lsn>"]}. */
        public Builder sequence(String sequence) {
            this.sequence = sequence;
            return this;
        }

        /** WAL position of the transaction's commit record. */
        public Builder commitLsn(long commitLsn) {
            this.commitLsn = commitLsn;
            return this;
        }

        /** The replication origin the transaction came from, or {@code null} for local changes. */
        public Builder origin(String origin) {
            this.origin = origin;
            return this;
        }

        /** The global transaction identifier of a prepared transaction, or {@code null}. */
        public Builder gid(String gid) {
            this.gid = gid;
            return this;
        }

        /** The source block. */
        public Source build() {
            return new Source(version, connector, name, tsMs, snapshot, db, schema, table, txId, lsn, xmin, sequence,
                    commitLsn, origin, gid);
        }
    }

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
