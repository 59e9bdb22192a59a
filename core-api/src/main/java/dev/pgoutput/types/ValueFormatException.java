package dev.pgoutput.types;

import dev.pgoutput.api.PgOutputException;

/**
 * A column value whose text or binary form is not valid for its type. Raised when the value is read,
 * not when the message is decoded, because values are converted lazily.
 */
public class ValueFormatException extends PgOutputException {

    private static final long serialVersionUID = 1L;

    private final int typeOid;

    /**
     * Creates the exception.
     *
     * @param typeOid the column's type
     * @param text    the start of the offending value
     * @param cause   the parse failure
     */
    public ValueFormatException(int typeOid, String text, Throwable cause) {
        super("cannot convert value '" + text + "' of type " + describe(typeOid) + ": " + cause.getMessage(), cause);
        this.typeOid = typeOid;
    }

    /**
     * Creates the exception for a type known by name.
     *
     * @param typeName the column's type
     * @param text     the start of the offending value
     * @param cause    the parse failure
     */
    public ValueFormatException(String typeName, String text, Throwable cause) {
        super("cannot convert value '" + text + "' of type " + typeName + ": " + cause.getMessage(), cause);
        this.typeOid = 0;
    }

    /** The type OID of the value, or 0 when the exception names the type only. */
    public int typeOid() {
        return typeOid;
    }

    private static String describe(int oid) {
        String name = PgType.nameOf(oid);
        return name == null ? "oid " + oid : name + " (oid " + oid + ")";
    }
}
