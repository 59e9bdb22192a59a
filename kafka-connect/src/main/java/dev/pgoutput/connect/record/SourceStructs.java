package dev.pgoutput.connect.record;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Source;
import dev.pgoutput.schema.EventSchemas;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} struct ({@code io.debezium.connector.postgresql.Source}) of each event, with Debezium's
 * {@code sequence}: {@code [<first LSN of the transaction>, <the event's LSN>]}, whose first element is null in
 * the first transaction a task run streams (as Debezium 3.6.1 was seen to write it).
 *
 * <p>Known difference: Debezium's first element is the transaction's first WAL record ({@code BEGIN}'s position
 * in the stream), which the library does not expose; here it is the first published change's LSN. They differ
 * when the transaction wrote WAL before its first published change (TOAST rows of a large value, changes of
 * unpublished tables).
 */
final class SourceStructs {

    private static final Schema SCHEMA = ConnectSchemas.toConnect(EventSchemas.SOURCE);

    private final String version;
    private long currentCommitLsn = -1;
    private Long currentTxId;
    private String firstLsn;
    private boolean firstTransaction = true;
    private boolean started;

    SourceStructs(String version) {
        this.version = version == null ? "unknown" : version;
    }

    /** The Connect schema of the struct. */
    static Schema schema() {
        return SCHEMA;
    }

    Struct toStruct(ChangeEvent event, String serverName) {
        Source s = event.source();
        if (!started || s.commitLsn() != currentCommitLsn || !java.util.Objects.equals(s.txId(), currentTxId)) {
            firstTransaction = !started;
            started = true;
            currentCommitLsn = s.commitLsn();
            currentTxId = s.txId();
            firstLsn = Long.toString(s.lsn());
        }
        Struct st = new Struct(SCHEMA);
        st.put("version", version);
        st.put("connector", "postgresql");
        st.put("name", serverName);
        st.put("ts_ms", s.tsMs());
        st.put("snapshot", s.snapshot());
        st.put("db", s.db());
        st.put("sequence", "[" + (firstTransaction ? "null" : "\"" + firstLsn + "\"") + ",\"" + s.lsn() + "\"]");
        // The library keeps the commit time in milliseconds: its micro- and nanoseconds are the milliseconds'.
        st.put("ts_us", s.tsMs() * 1_000L);
        st.put("ts_ns", s.tsMs() * 1_000_000L);
        st.put("schema", s.schema());
        st.put("table", s.table());
        st.put("txId", s.txId());
        st.put("lsn", s.lsn());
        st.put("xmin", s.xmin());
        st.put("origin", s.origin());
        st.put("origin_lsn", null);
        return st;
    }
}
