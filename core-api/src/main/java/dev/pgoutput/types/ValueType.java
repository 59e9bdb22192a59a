package dev.pgoutput.types;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the values of one column type are converted: resolved once per column when a Relation message
 * arrives (through a {@link TypeCatalog} for user-defined types), then used for every value of that column.
 * Domains resolve to their base type; enums and {@code citext} to text; arrays, ranges, multiranges and
 * composites carry the resolved types of their parts.
 *
 * <pre>{@code
 * ValueType t = ValueType.resolve(oid, typeName, catalog);
 * Object v = ValueDecoder.fromText(t, buf, off, len);
 * }</pre>
 */
public final class ValueType {

    /** The families of conversion. */
    public enum Kind {
        /** A built-in scalar type, converted by {@link #scalarOid()}. */
        SCALAR,
        /** An array: a {@link java.util.List}, nested for more dimensions. */
        ARRAY,
        /** A composite: an ordered map from attribute name to value. */
        COMPOSITE,
        /** A range: {@link PgRange}. */
        RANGE,
        /** A multirange: a list of {@link PgRange}. */
        MULTIRANGE,
        /** {@code hstore}: an ordered map from key to value (values may be null). */
        HSTORE,
        /** A type without a conversion: its text form, or {@link PgUnknownValue} in binary. */
        UNKNOWN
    }

    /**
     * How a text-form value of a type appears in Debezium JSON (the defaults of its converters), so that a
     * serializer can copy it from the message bytes instead of converting it to a Java value first. A
     * serializer still checks the bytes (a text that is not the expected shape goes the converted way) and
     * applies its own options (for example decimal handling for {@link #DECIMAL}).
     *
     * <pre>{@code
     * switch (column.valueType().jsonForm()) {
     *     case INTEGER -> writeNumberToken(bytes);     // "42" is already the JSON number 42
     *     case STRING -> writeUtf8String(bytes);       // text, json, uuid, ...: the text is the string
     *     default -> writeJavaValue(row.value(i));
     * }
     * }</pre>
     */
    public enum JsonForm {
        /** {@code int2}, {@code int4}, {@code int8}, {@code oid}, {@code xid}, {@code cid}: the text is a JSON integer. */
        INTEGER,
        /** {@code numeric}: the exact text as a JSON number; {@code NaN} and {@code ±Infinity} as strings. */
        DECIMAL,
        /** {@code float4}, {@code float8}: the text as a JSON number; {@code NaN} and {@code ±Infinity} as strings. */
        FLOAT,
        /** {@code bool}: {@code t} or {@code f}. */
        BOOLEAN,
        /**
         * Text types, {@code json}, {@code jsonb}, {@code jsonpath}, {@code xml}, {@code uuid}, MAC addresses,
         * bit strings, text search types (and enums and {@code citext}, which convert like text): the text is
         * the JSON string.
         */
        STRING,
        /** Everything else (dates, times, bytea, arrays, ranges, ...): written from the converted Java value. */
        CONVERTED;

        private static JsonForm ofScalar(int oid) {
            return switch (oid) {
                case PgType.INT2, PgType.INT4, PgType.INT8, PgType.OID, PgType.XID, PgType.CID -> INTEGER;
                case PgType.NUMERIC -> DECIMAL;
                case PgType.FLOAT4, PgType.FLOAT8 -> FLOAT;
                case PgType.BOOL -> BOOLEAN;
                case PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME, PgType.JSON, PgType.JSONB,
                     PgType.JSONPATH, PgType.XML, PgType.UUID, PgType.MACADDR, PgType.MACADDR8, PgType.BIT,
                     PgType.VARBIT, PgType.TSVECTOR, PgType.TSQUERY -> STRING;
                // xid8 too: its unsigned text may exceed a long, and its Long value is what JSON shows.
                default -> CONVERTED;
            };
        }
    }

    private static final int MAX_DEPTH = 16;
    private static final Map<Integer, ValueType> BUILTIN_SCALARS = builtinScalars();

    private final Kind kind;
    private final String name;
    private final int scalarOid;
    private final ValueType element;
    private final char delimiter;
    private final List<String> fieldNames;
    private final List<ValueType> fieldTypes;
    private final JsonForm jsonForm;

    private ValueType(Kind kind, String name, int scalarOid, ValueType element, char delimiter,
                      List<String> fieldNames, List<ValueType> fieldTypes) {
        this.kind = kind;
        this.name = name;
        this.scalarOid = scalarOid;
        this.element = element;
        this.delimiter = delimiter;
        this.fieldNames = fieldNames;
        this.fieldTypes = fieldTypes;
        this.jsonForm = kind == Kind.SCALAR ? JsonForm.ofScalar(scalarOid) : JsonForm.CONVERTED;
    }

    private static Map<Integer, ValueType> builtinScalars() {
        int[] oids = {PgType.BOOL, PgType.BYTEA, PgType.CHAR, PgType.NAME, PgType.INT8, PgType.INT2, PgType.INT4,
            PgType.TEXT, PgType.OID, PgType.XID, PgType.CID, PgType.JSON, PgType.XML, PgType.POINT, PgType.LSEG,
            PgType.PATH, PgType.BOX, PgType.POLYGON, PgType.LINE, PgType.CIDR, PgType.FLOAT4, PgType.FLOAT8,
            PgType.CIRCLE, PgType.MACADDR8, PgType.MONEY, PgType.MACADDR, PgType.INET, PgType.BPCHAR,
            PgType.VARCHAR, PgType.DATE, PgType.TIME, PgType.TIMESTAMP, PgType.TIMESTAMPTZ, PgType.INTERVAL,
            PgType.TIMETZ, PgType.BIT, PgType.VARBIT, PgType.NUMERIC, PgType.UUID, PgType.PG_LSN,
            PgType.TSVECTOR, PgType.TSQUERY, PgType.JSONB, PgType.JSONPATH, PgType.XID8};
        Map<Integer, ValueType> m = new HashMap<>();
        for (int oid : oids) {
            m.put(oid, scalar(PgType.nameOf(oid), oid));
        }
        return Map.copyOf(m);
    }

    private static ValueType scalar(String name, int oid) {
        return new ValueType(Kind.SCALAR, name, oid, null, ',', List.of(), List.of());
    }

    /** An array of {@code element} whose text form separates elements with {@code delimiter}. */
    public static ValueType array(String name, ValueType element, char delimiter) {
        return new ValueType(Kind.ARRAY, name, 0, element, delimiter, List.of(), List.of());
    }

    /** A range over {@code subtype}. */
    public static ValueType range(String name, ValueType subtype) {
        return new ValueType(Kind.RANGE, name, 0, subtype, ',', List.of(), List.of());
    }

    /** A multirange of {@code range} (a {@link Kind#RANGE} type). */
    public static ValueType multirange(String name, ValueType range) {
        return new ValueType(Kind.MULTIRANGE, name, 0, range, ',', List.of(), List.of());
    }

    /** A composite with these attributes, in order. */
    public static ValueType composite(String name, List<String> fieldNames, List<ValueType> fieldTypes) {
        if (fieldNames.size() != fieldTypes.size()) {
            throw new IllegalArgumentException("one type per attribute name");
        }
        return new ValueType(Kind.COMPOSITE, name, 0, null, ',', List.copyOf(fieldNames), List.copyOf(fieldTypes));
    }

    /** {@code hstore} (an extension type: its OID differs per database). */
    public static ValueType hstore(String name) {
        return new ValueType(Kind.HSTORE, name, 0, null, ',', List.of(), List.of());
    }

    /** A type without a conversion. */
    public static ValueType unknown(String name) {
        return new ValueType(Kind.UNKNOWN, name, 0, null, ',', List.of(), List.of());
    }

    /** The conversion of a built-in type, without a catalog: user-defined types are {@link Kind#UNKNOWN}. */
    public static ValueType builtin(int oid) {
        return resolve(oid, null, TypeCatalog.NONE);
    }

    /**
     * The conversion of a type.
     *
     * @param oid      the type OID
     * @param nameHint the type's name when known (from a Type message), else {@code null}; used to recognize
     *                 extension types ({@code citext}, {@code hstore}) without a catalog
     * @param catalog  where to look up user-defined types
     */
    public static ValueType resolve(int oid, String nameHint, TypeCatalog catalog) {
        return resolve(oid, nameHint, catalog, 0);
    }

    private static ValueType resolve(int oid, String nameHint, TypeCatalog catalog, int depth) {
        ValueType builtin = BUILTIN_SCALARS.get(oid);
        if (builtin != null) {
            return builtin;
        }
        String builtinName = PgType.nameOf(oid);
        if (depth > MAX_DEPTH) {
            return unknown(builtinName != null ? builtinName : fallbackName(oid, nameHint));
        }
        int element = PgType.elementOf(oid);
        if (element != 0) {
            return array(builtinName, resolve(element, null, catalog, depth + 1), PgType.delimiterOf(element));
        }
        int multirangeOf = PgType.rangeOfMultirange(oid);
        if (multirangeOf != 0) {
            return multirange(builtinName, resolve(multirangeOf, null, catalog, depth + 1));
        }
        int subtype = PgType.rangeSubtypeOf(oid);
        if (subtype != 0) {
            return range(builtinName, resolve(subtype, null, catalog, depth + 1));
        }
        Optional<TypeInfo> found = catalog.find(oid);
        if (found.isEmpty()) {
            return byName(nameHint, fallbackName(oid, nameHint));
        }
        TypeInfo info = found.get();
        String name = info.qualifiedName();
        if (info.kind() == 'd') {
            return resolve(info.baseOid(), null, catalog, depth + 1);
        }
        if (info.elementOid() != 0) {
            return array(name, resolve(info.elementOid(), null, catalog, depth + 1), info.delimiter());
        }
        switch (info.kind()) {
            case 'e' -> {
                return scalar(name, PgType.TEXT);
            }
            case 'r' -> {
                return range(name, resolve(info.subtypeOid(), null, catalog, depth + 1));
            }
            case 'm' -> {
                return multirange(name, resolve(info.subtypeOid(), null, catalog, depth + 1));
            }
            case 'c' -> {
                List<String> names = info.attributes().stream().map(TypeInfo.Attribute::name).toList();
                List<ValueType> types = info.attributes().stream()
                        .map(a -> resolve(a.typeOid(), null, catalog, depth + 1)).toList();
                return composite(name, names, types);
            }
            default -> {
                return byName(info.name(), name);
            }
        }
    }

    private static ValueType byName(String hint, String name) {
        if (hint != null) {
            String bare = hint.substring(hint.lastIndexOf('.') + 1);
            if (bare.equals("citext")) {
                return scalar(name, PgType.TEXT);
            }
            if (bare.equals("hstore")) {
                return hstore(name);
            }
        }
        return unknown(name);
    }

    private static String fallbackName(int oid, String nameHint) {
        return nameHint != null ? nameHint : "oid:" + Integer.toUnsignedString(oid);
    }

    /**
     * Whether a value of this type in binary send form converts to the same Java value as its text form:
     * every part of it is a type with a binary conversion (no {@link Kind#UNKNOWN} part, no built-in scalar
     * without one). The initial snapshot copies in binary only when every column's type does.
     */
    public boolean convertsBinary() {
        return BinaryValues.converts(this);
    }

    /** The conversion family. */
    public Kind kind() {
        return kind;
    }

    /** The type's name, for messages and {@link PgUnknownValue}. */
    public String name() {
        return name;
    }

    /** For {@link Kind#SCALAR}: the built-in type whose conversion applies; otherwise 0. */
    public int scalarOid() {
        return scalarOid;
    }

    /** How a text-form value of this type appears in Debezium JSON; decided once per type. */
    public JsonForm jsonForm() {
        return jsonForm;
    }

    /** For arrays: the element type; for ranges: the subtype; for multiranges: the range type. */
    public ValueType element() {
        return element;
    }

    /** For arrays: the element delimiter of the text form. */
    public char delimiter() {
        return delimiter;
    }

    /** For composites: the attribute names in order. */
    public List<String> fieldNames() {
        return fieldNames;
    }

    /** For composites: the attribute types in order. */
    public List<ValueType> fieldTypes() {
        return fieldTypes;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SCALAR -> name;
            case ARRAY -> name + "[" + element + "]";
            case RANGE, MULTIRANGE -> name + "<" + element + ">";
            case COMPOSITE -> name + fieldNames;
            case HSTORE, UNKNOWN -> name;
        };
    }
}
