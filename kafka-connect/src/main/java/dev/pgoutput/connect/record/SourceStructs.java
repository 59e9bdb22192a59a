package dev.pgoutput.connect.record;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Source;
import dev.pgoutput.schema.EventSchemas;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} struct ({@code io.debezium.connector.postgresql.Source}) of each event, with Debezium's
 * {@code sequence}: {@code [<last commit>, <the event's LSN>]}.
 *
 * <p>Debezium's "last commit" is the position it last treated as committed: where the last COMMIT it processed ends,
 * or a logical decoding message sent outside any transaction (Debezium commits those at once, before writing
 * them), whichever came later; null until the task run saw one. The library's own sequence gives the first; the
 * messages are followed here. A message outside any transaction therefore has {@code [<its LSN>, <its LSN>]}.
 */
final class SourceStructs {

    private static final Schema SCHEMA = ConnectSchemas.toConnect(EventSchemas.SOURCE);

    private final String version;
    /** The LSN of the last message outside any transaction, or -1. */
    private long lastStandaloneMessage = -1;

    SourceStructs(String version) {
        this.version = version == null ? "unknown" : version;
    }

    /** The Connect schema of the struct. */
    static Schema schema() {
        return SCHEMA;
    }

    Struct toStruct(ChangeEvent event, String serverName) {
        Source s = event.source();
        long lastCommit;
        if (event.op() == Op.MESSAGE && s.txId() == null) {
            lastStandaloneMessage = s.lsn();
            lastCommit = s.lsn();
        } else {
            lastCommit = Math.max(lastCommitOf(s.sequence()), lastStandaloneMessage);
        }
        Struct st = new Struct(SCHEMA);
        st.put("version", version);
        st.put("connector", "postgresql");
        st.put("name", serverName);
        st.put("ts_ms", s.tsMs());
        st.put("snapshot", s.snapshot());
        st.put("db", s.db());
        st.put("sequence", "[" + (lastCommit <= 0 ? "null" : "\"" + lastCommit + "\"") + ",\"" + s.lsn() + "\"]");
        // The library keeps the commit time in milliseconds: its micro- and nanoseconds are the milliseconds'.
        st.put("ts_us", s.tsMs() * 1_000L);
        st.put("ts_ns", s.tsMs() * 1_000_000L);
        // Debezium writes "" for an event of no table (a logical decoding message).
        st.put("schema", s.schema() == null ? "" : s.schema());
        st.put("table", s.table() == null ? "" : s.table());
        st.put("txId", s.txId());
        st.put("lsn", s.lsn());
        st.put("xmin", s.xmin());
        st.put("origin", s.origin());
        st.put("origin_lsn", null);
        return st;
    }

    /** The first element of the library's sequence {@code ["<last commit end>","<lsn>"]}; 0 when there is none. */
    private static long lastCommitOf(String sequence) {
        if (sequence == null || !sequence.startsWith("[\"")) {
            return 0;
        }
        try {
            return Long.parseLong(sequence.substring(2, sequence.indexOf('"', 2)));
        } catch (RuntimeException e) {
            return 0;   // not the library's streamed format (a snapshot row): no commit to tell
        }
    }
}
