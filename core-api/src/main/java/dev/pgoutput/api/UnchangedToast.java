package dev.pgoutput.api;

/**
 * The value of a column whose large (TOASTed) value did not change and was therefore not sent by the
 * server. It is never {@code null}, so that "unchanged" cannot be mistaken for "set to NULL".
 *
 * <p>Under replica identity FULL the library fills such columns from the old row, so this value only
 * appears when the old value is unknown. In Debezium JSON it is written as
 * {@value #DEBEZIUM_PLACEHOLDER}, as Debezium does.
 *
 * <pre>{@code
 * if (event.after().get("body") == UnchangedToast.VALUE) { keep the stored body }
 * }</pre>
 */
public enum UnchangedToast {
    /** The single unchanged-TOAST marker. */
    VALUE;

    /** Debezium's placeholder for unavailable values. */
    public static final String DEBEZIUM_PLACEHOLDER = "__debezium_unavailable_value";

    @Override
    public String toString() {
        return DEBEZIUM_PLACEHOLDER;
    }
}
