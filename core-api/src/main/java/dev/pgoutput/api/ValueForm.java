package dev.pgoutput.api;

/**
 * The form in which the server sent one column value of a {@link Row}: what its
 * {@linkplain Row#valueBuffer(int) value bytes} hold.
 *
 * <pre>{@code
 * if (row.form(i) == ValueForm.TEXT) {
 *     out.write(row.valueBuffer(i), row.valueOffset(i), row.valueLength(i));   // the server's text output
 * }
 * }</pre>
 */
public enum ValueForm {
    /** SQL NULL: no bytes; the value is {@code null}. */
    NULL,
    /**
     * An unchanged TOASTed value the server did not send (and the old row could not supply): no bytes; the
     * value is {@link UnchangedToast#VALUE}.
     */
    UNCHANGED_TOAST,
    /** The type's text output form, UTF-8 (the default tuple format). */
    TEXT,
    /** The type's binary send form, big-endian (the builder's {@code binary(true)}, PostgreSQL 14+). */
    BINARY
}
