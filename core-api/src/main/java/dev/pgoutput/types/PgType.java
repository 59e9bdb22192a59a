package dev.pgoutput.types;

/**
 * OIDs and names of the built-in types this library converts, from {@code pg_type.dat}. OIDs of
 * built-in types are fixed across server versions.
 */
public final class PgType {

    private PgType() {
    }

    /** {@code bool}. */
    public static final int BOOL = 16;
    /** {@code bytea}. */
    public static final int BYTEA = 17;
    /** {@code "char"} (the one-byte type). */
    public static final int CHAR = 18;
    /** {@code name}. */
    public static final int NAME = 19;
    /** {@code int8}. */
    public static final int INT8 = 20;
    /** {@code int2}. */
    public static final int INT2 = 21;
    /** {@code int4}. */
    public static final int INT4 = 23;
    /** {@code text}. */
    public static final int TEXT = 25;
    /** {@code oid}. */
    public static final int OID = 26;
    /** {@code json}. */
    public static final int JSON = 114;
    /** {@code float4}. */
    public static final int FLOAT4 = 700;
    /** {@code float8}. */
    public static final int FLOAT8 = 701;
    /** {@code bpchar} ({@code character(n)}). */
    public static final int BPCHAR = 1042;
    /** {@code varchar}. */
    public static final int VARCHAR = 1043;
    /** {@code date}. */
    public static final int DATE = 1082;
    /** {@code time}. */
    public static final int TIME = 1083;
    /** {@code timestamp}. */
    public static final int TIMESTAMP = 1114;
    /** {@code timestamptz}. */
    public static final int TIMESTAMPTZ = 1184;
    /** {@code numeric}. */
    public static final int NUMERIC = 1700;
    /** {@code uuid}. */
    public static final int UUID = 2950;
    /** {@code jsonb}. */
    public static final int JSONB = 3802;

    /** {@code _bool}. */
    public static final int BOOL_ARRAY = 1000;
    /** {@code _bytea}. */
    public static final int BYTEA_ARRAY = 1001;
    /** {@code _char}. */
    public static final int CHAR_ARRAY = 1002;
    /** {@code _name}. */
    public static final int NAME_ARRAY = 1003;
    /** {@code _int2}. */
    public static final int INT2_ARRAY = 1005;
    /** {@code _int4}. */
    public static final int INT4_ARRAY = 1007;
    /** {@code _text}. */
    public static final int TEXT_ARRAY = 1009;
    /** {@code _bpchar}. */
    public static final int BPCHAR_ARRAY = 1014;
    /** {@code _varchar}. */
    public static final int VARCHAR_ARRAY = 1015;
    /** {@code _int8}. */
    public static final int INT8_ARRAY = 1016;
    /** {@code _float4}. */
    public static final int FLOAT4_ARRAY = 1021;
    /** {@code _float8}. */
    public static final int FLOAT8_ARRAY = 1022;
    /** {@code _oid}. */
    public static final int OID_ARRAY = 1028;
    /** {@code _timestamp}. */
    public static final int TIMESTAMP_ARRAY = 1115;
    /** {@code _date}. */
    public static final int DATE_ARRAY = 1182;
    /** {@code _time}. */
    public static final int TIME_ARRAY = 1183;
    /** {@code _timestamptz}. */
    public static final int TIMESTAMPTZ_ARRAY = 1185;
    /** {@code _numeric}. */
    public static final int NUMERIC_ARRAY = 1231;
    /** {@code _json}. */
    public static final int JSON_ARRAY = 199;
    /** {@code _uuid}. */
    public static final int UUID_ARRAY = 2951;
    /** {@code _jsonb}. */
    public static final int JSONB_ARRAY = 3807;

    /** The element type of a built-in array type this library converts, or 0 when it is not one. */
    public static int elementOf(int arrayOid) {
        return switch (arrayOid) {
            case BOOL_ARRAY -> BOOL;
            case BYTEA_ARRAY -> BYTEA;
            case CHAR_ARRAY -> CHAR;
            case NAME_ARRAY -> NAME;
            case INT2_ARRAY -> INT2;
            case INT4_ARRAY -> INT4;
            case TEXT_ARRAY -> TEXT;
            case BPCHAR_ARRAY -> BPCHAR;
            case VARCHAR_ARRAY -> VARCHAR;
            case INT8_ARRAY -> INT8;
            case FLOAT4_ARRAY -> FLOAT4;
            case FLOAT8_ARRAY -> FLOAT8;
            case OID_ARRAY -> OID;
            case TIMESTAMP_ARRAY -> TIMESTAMP;
            case DATE_ARRAY -> DATE;
            case TIME_ARRAY -> TIME;
            case TIMESTAMPTZ_ARRAY -> TIMESTAMPTZ;
            case NUMERIC_ARRAY -> NUMERIC;
            case JSON_ARRAY -> JSON;
            case UUID_ARRAY -> UUID;
            case JSONB_ARRAY -> JSONB;
            default -> 0;
        };
    }

    /** The {@code pg_type.typname} of a built-in type this library knows, or {@code null}. */
    public static String nameOf(int oid) {
        return switch (oid) {
            case BOOL -> "bool";
            case BYTEA -> "bytea";
            case CHAR -> "char";
            case NAME -> "name";
            case INT8 -> "int8";
            case INT2 -> "int2";
            case INT4 -> "int4";
            case TEXT -> "text";
            case OID -> "oid";
            case JSON -> "json";
            case FLOAT4 -> "float4";
            case FLOAT8 -> "float8";
            case BPCHAR -> "bpchar";
            case VARCHAR -> "varchar";
            case DATE -> "date";
            case TIME -> "time";
            case TIMESTAMP -> "timestamp";
            case TIMESTAMPTZ -> "timestamptz";
            case NUMERIC -> "numeric";
            case UUID -> "uuid";
            case JSONB -> "jsonb";
            default -> {
                int element = elementOf(oid);
                yield element == 0 ? null : "_" + nameOf(element);
            }
        };
    }

    /** Whether a value of this type is written as a JSON number from its text form unchanged. */
    public static boolean isIntegral(int oid) {
        return oid == INT2 || oid == INT4 || oid == INT8 || oid == OID;
    }
}
