package dev.pgoutput.api;

/**
 * The kind of change, with Debezium's one-letter codes.
 */
public enum Op {
    /** A row was inserted ({@code "c"}). */
    CREATE("c", "INSERT"),
    /** A row was updated ({@code "u"}). */
    UPDATE("u", "UPDATE"),
    /** A row was deleted ({@code "d"}). */
    DELETE("d", "DELETE"),
    /** A row was read by a snapshot ({@code "r"}). */
    READ("r", "READ"),
    /** A table was truncated ({@code "t"}). */
    TRUNCATE("t", "TRUNCATE"),
    /** A logical decoding message ({@code "m"}). */
    MESSAGE("m", "MESSAGE");

    private final String code;
    private final String description;

    Op(String code, String description) {
        this.code = code;
        this.description = description;
    }

    /** Debezium's code: {@code "c"}, {@code "u"}, {@code "d"}, {@code "r"}, {@code "t"} or {@code "m"}. */
    public String code() {
        return code;
    }

    /** The SQL-ish name: {@code "INSERT"}, {@code "UPDATE"}, {@code "DELETE"}, … */
    public String description() {
        return description;
    }

    /**
     * The operation for a Debezium code.
     *
     * @throws IllegalArgumentException for an unknown code
     */
    public static Op fromCode(String code) {
        for (Op op : values()) {
            if (op.code.equals(code)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown operation code '" + code + "' (expected one of c, u, d, r, t, m)");
    }
}
