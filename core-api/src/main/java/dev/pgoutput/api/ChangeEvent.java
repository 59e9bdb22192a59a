package dev.pgoutput.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change, shaped like a Debezium change event's payload.
 *
 * <pre>{@code
 * switch (event.op()) {
 *     case CREATE -> index(event.after());
 *     case DELETE -> remove(event.before());
 *     default -> { }
 * }
 * }</pre>
 *
 * <p>{@code before} and {@code after} map column names to values in column order. Values are converted
 * from the message bytes the first time they are read (see the README's type table). A column whose
 * unchanged TOASTed value was not sent maps to {@link UnchangedToast#VALUE}, never to {@code null}.
 *
 * @param op     what happened
 * @param before the old row: the whole row under replica identity FULL, the key columns under DEFAULT
 *               or USING INDEX when the server sent them, otherwise {@code null}
 * @param after  the new row, {@code null} for deletes, truncates and messages
 * @param source where the change came from
 * @param tsNs   when this library produced the event, nanoseconds since the Unix epoch
 * @param message the logical decoding message of an {@link Op#MESSAGE} event, otherwise {@code null}
 * @param truncation the options of an {@link Op#TRUNCATE} event, otherwise {@code null}
 * @param uncommitted set when the event is delivered before its transaction's outcome is known (the
 *                    builder's {@code deliverUncommitted} and {@code deliverOnPrepare}), otherwise
 *                    {@code null}: by default every event is from a committed transaction
 */
public record ChangeEvent(Op op, Map<String, Object> before, Map<String, Object> after, Source source, long tsNs,
                          Message message, Truncation truncation, Uncommitted uncommitted) {

    /**
     * A builder, so that events can be made field by field (tests, tools, other sources of events) and new
     * fields do not need new constructors.
     *
     * <pre>{@code
     * ChangeEvent e = ChangeEvent.builder().op(Op.CREATE).after(row).source(source).tsNs(now).build();
     * }</pre>
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link ChangeEvent}. {@code op} and {@code source} are required; every other field is
     * {@code null} (or 0 for {@code tsNs}) until set.
     */
    public static final class Builder {

        private Op op;
        private Map<String, Object> before;
        private Map<String, Object> after;
        private Source source;
        private long tsNs;
        private Message message;
        private Truncation truncation;
        private Uncommitted uncommitted;

        private Builder() {
        }

        /** What happened. */
        public Builder op(Op op) {
            this.op = op;
            return this;
        }

        /** The old row, or {@code null}. */
        public Builder before(Map<String, Object> before) {
            this.before = before;
            return this;
        }

        /** The new row, or {@code null}. */
        public Builder after(Map<String, Object> after) {
            this.after = after;
            return this;
        }

        /** Where the change came from. */
        public Builder source(Source source) {
            this.source = source;
            return this;
        }

        /** When the event was produced, nanoseconds since the Unix epoch. */
        public Builder tsNs(long tsNs) {
            this.tsNs = tsNs;
            return this;
        }

        /** The logical decoding message of an {@link Op#MESSAGE} event. */
        public Builder message(Message message) {
            this.message = message;
            return this;
        }

        /** The options of an {@link Op#TRUNCATE} event. */
        public Builder truncation(Truncation truncation) {
            this.truncation = truncation;
            return this;
        }

        /** Set for an event delivered before its transaction's outcome is known. */
        public Builder uncommitted(Uncommitted uncommitted) {
            this.uncommitted = uncommitted;
            return this;
        }

        /**
         * The event.
         *
         * @throws NullPointerException when {@code op} or {@code source} is not set
         */
        public ChangeEvent build() {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(source, "source");
            return new ChangeEvent(op, before, after, source, tsNs, message, truncation, uncommitted);
        }
    }

    /** When this library produced the event, milliseconds since the Unix epoch. */
    public long tsMs() {
        return tsNs / 1_000_000L;
    }

    /** When this library produced the event, microseconds since the Unix epoch. */
    public long tsUs() {
        return tsNs / 1_000L;
    }

    /** The qualified table name, for example {@code "public.users"}, or {@code null} for messages. */
    public String tableName() {
        return source.table() == null ? null : source.schema() + "." + source.table();
    }

    /**
     * The whole Debezium payload as nested maps, in Debezium's field order. A message event has no
     * {@code before}/{@code after} but a {@code message} map with {@code prefix} and {@code content} (the
     * bytes), as Debezium's PostgreSQL connector shapes it. An event delivered before its transaction's
     * outcome ends with an {@code uncommitted} map ({@code txId}, {@code subTxId}, {@code gid} when set).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (message != null) {
            m.put("op", op.code());
            m.put("ts_ms", tsMs());
            m.put("ts_us", tsUs());
            m.put("ts_ns", tsNs);
            m.put("source", source.toMap());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("prefix", message.prefix());
            body.put("content", message.content());
            m.put("message", body);
            putUncommitted(m);
            return m;
        }
        m.put("before", before == null ? null : new LinkedHashMap<>(before));
        m.put("after", after == null ? null : new LinkedHashMap<>(after));
        m.put("source", source.toMap());
        m.put("op", op.code());
        m.put("ts_ms", tsMs());
        m.put("ts_us", tsUs());
        m.put("ts_ns", tsNs);
        putUncommitted(m);
        return m;
    }

    /** Not in Debezium's payload; only on events delivered before their transaction's outcome. */
    private void putUncommitted(Map<String, Object> m) {
        if (uncommitted != null) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("txId", uncommitted.txId());
            u.put("subTxId", uncommitted.subTxId());
            if (uncommitted.gid() != null) {
                u.put("gid", uncommitted.gid());
            }
            m.put("uncommitted", u);
        }
    }
}
