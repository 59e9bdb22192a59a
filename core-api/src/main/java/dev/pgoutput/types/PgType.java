package dev.pgoutput.types;

import java.util.HashMap;
import java.util.Map;

/**
 * OIDs and names of the built-in types this library converts, from {@code pg_type.dat}. OIDs of
 * built-in types are fixed across server versions (checked against PostgreSQL 12-18), so they are
 * constants here; user-defined and extension types ({@code citext}, {@code hstore}, enums, domains,
 * composites) have OIDs that differ per database and are resolved through a {@link TypeCatalog}.
 */
public final class PgType {

    private PgType() {
    }

    /** {@code bool}. */
    public static final int BOOL = 16;
    /** {@code bytea}. */
    public static final int BYTEA = 17;
    /** {@code "char"}. */
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
    /** {@code xid}. */
    public static final int XID = 28;
    /** {@code cid}. */
    public static final int CID = 29;
    /** {@code json}. */
    public static final int JSON = 114;
    /** {@code xml}. */
    public static final int XML = 142;
    /** {@code point}. */
    public static final int POINT = 600;
    /** {@code lseg}. */
    public static final int LSEG = 601;
    /** {@code path}. */
    public static final int PATH = 602;
    /** {@code box}. */
    public static final int BOX = 603;
    /** {@code polygon}. */
    public static final int POLYGON = 604;
    /** {@code line}. */
    public static final int LINE = 628;
    /** {@code cidr}. */
    public static final int CIDR = 650;
    /** {@code float4}. */
    public static final int FLOAT4 = 700;
    /** {@code float8}. */
    public static final int FLOAT8 = 701;
    /** {@code circle}. */
    public static final int CIRCLE = 718;
    /** {@code macaddr8}. */
    public static final int MACADDR8 = 774;
    /** {@code money}. */
    public static final int MONEY = 790;
    /** {@code macaddr}. */
    public static final int MACADDR = 829;
    /** {@code inet}. */
    public static final int INET = 869;
    /** {@code bpchar}. */
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
    /** {@code interval}. */
    public static final int INTERVAL = 1186;
    /** {@code timetz}. */
    public static final int TIMETZ = 1266;
    /** {@code bit}. */
    public static final int BIT = 1560;
    /** {@code varbit}. */
    public static final int VARBIT = 1562;
    /** {@code numeric}. */
    public static final int NUMERIC = 1700;
    /** {@code record}. */
    public static final int RECORD = 2249;
    /** {@code uuid}. */
    public static final int UUID = 2950;
    /** {@code pg_lsn}. */
    public static final int PG_LSN = 3220;
    /** {@code tsvector}. */
    public static final int TSVECTOR = 3614;
    /** {@code tsquery}. */
    public static final int TSQUERY = 3615;
    /** {@code jsonb}. */
    public static final int JSONB = 3802;
    /** {@code int4range}. */
    public static final int INT4RANGE = 3904;
    /** {@code numrange}. */
    public static final int NUMRANGE = 3906;
    /** {@code tsrange}. */
    public static final int TSRANGE = 3908;
    /** {@code tstzrange}. */
    public static final int TSTZRANGE = 3910;
    /** {@code daterange}. */
    public static final int DATERANGE = 3912;
    /** {@code int8range}. */
    public static final int INT8RANGE = 3926;
    /** {@code jsonpath}. */
    public static final int JSONPATH = 4072;
    /** {@code int4multirange}. */
    public static final int INT4MULTIRANGE = 4451;
    /** {@code nummultirange}. */
    public static final int NUMMULTIRANGE = 4532;
    /** {@code tsmultirange}. */
    public static final int TSMULTIRANGE = 4533;
    /** {@code tstzmultirange}. */
    public static final int TSTZMULTIRANGE = 4534;
    /** {@code datemultirange}. */
    public static final int DATEMULTIRANGE = 4535;
    /** {@code int8multirange}. */
    public static final int INT8MULTIRANGE = 4536;
    /** {@code xid8}. */
    public static final int XID8 = 5069;
    /** {@code _bool}, the array of {@code bool}. */
    public static final int BOOL_ARRAY = 1000;
    /** {@code _bytea}, the array of {@code bytea}. */
    public static final int BYTEA_ARRAY = 1001;
    /** {@code _char}, the array of {@code "char"}. */
    public static final int CHAR_ARRAY = 1002;
    /** {@code _name}, the array of {@code name}. */
    public static final int NAME_ARRAY = 1003;
    /** {@code _int8}, the array of {@code int8}. */
    public static final int INT8_ARRAY = 1016;
    /** {@code _int2}, the array of {@code int2}. */
    public static final int INT2_ARRAY = 1005;
    /** {@code _int4}, the array of {@code int4}. */
    public static final int INT4_ARRAY = 1007;
    /** {@code _text}, the array of {@code text}. */
    public static final int TEXT_ARRAY = 1009;
    /** {@code _oid}, the array of {@code oid}. */
    public static final int OID_ARRAY = 1028;
    /** {@code _xid}, the array of {@code xid}. */
    public static final int XID_ARRAY = 1011;
    /** {@code _cid}, the array of {@code cid}. */
    public static final int CID_ARRAY = 1012;
    /** {@code _json}, the array of {@code json}. */
    public static final int JSON_ARRAY = 199;
    /** {@code _xml}, the array of {@code xml}. */
    public static final int XML_ARRAY = 143;
    /** {@code _point}, the array of {@code point}. */
    public static final int POINT_ARRAY = 1017;
    /** {@code _lseg}, the array of {@code lseg}. */
    public static final int LSEG_ARRAY = 1018;
    /** {@code _path}, the array of {@code path}. */
    public static final int PATH_ARRAY = 1019;
    /** {@code _box}, the array of {@code box}. */
    public static final int BOX_ARRAY = 1020;
    /** {@code _polygon}, the array of {@code polygon}. */
    public static final int POLYGON_ARRAY = 1027;
    /** {@code _line}, the array of {@code line}. */
    public static final int LINE_ARRAY = 629;
    /** {@code _cidr}, the array of {@code cidr}. */
    public static final int CIDR_ARRAY = 651;
    /** {@code _float4}, the array of {@code float4}. */
    public static final int FLOAT4_ARRAY = 1021;
    /** {@code _float8}, the array of {@code float8}. */
    public static final int FLOAT8_ARRAY = 1022;
    /** {@code _circle}, the array of {@code circle}. */
    public static final int CIRCLE_ARRAY = 719;
    /** {@code _macaddr8}, the array of {@code macaddr8}. */
    public static final int MACADDR8_ARRAY = 775;
    /** {@code _money}, the array of {@code money}. */
    public static final int MONEY_ARRAY = 791;
    /** {@code _macaddr}, the array of {@code macaddr}. */
    public static final int MACADDR_ARRAY = 1040;
    /** {@code _inet}, the array of {@code inet}. */
    public static final int INET_ARRAY = 1041;
    /** {@code _bpchar}, the array of {@code bpchar}. */
    public static final int BPCHAR_ARRAY = 1014;
    /** {@code _varchar}, the array of {@code varchar}. */
    public static final int VARCHAR_ARRAY = 1015;
    /** {@code _date}, the array of {@code date}. */
    public static final int DATE_ARRAY = 1182;
    /** {@code _time}, the array of {@code time}. */
    public static final int TIME_ARRAY = 1183;
    /** {@code _timestamp}, the array of {@code timestamp}. */
    public static final int TIMESTAMP_ARRAY = 1115;
    /** {@code _timestamptz}, the array of {@code timestamptz}. */
    public static final int TIMESTAMPTZ_ARRAY = 1185;
    /** {@code _interval}, the array of {@code interval}. */
    public static final int INTERVAL_ARRAY = 1187;
    /** {@code _timetz}, the array of {@code timetz}. */
    public static final int TIMETZ_ARRAY = 1270;
    /** {@code _bit}, the array of {@code bit}. */
    public static final int BIT_ARRAY = 1561;
    /** {@code _varbit}, the array of {@code varbit}. */
    public static final int VARBIT_ARRAY = 1563;
    /** {@code _numeric}, the array of {@code numeric}. */
    public static final int NUMERIC_ARRAY = 1231;
    /** {@code _record}, the array of {@code record}. */
    public static final int RECORD_ARRAY = 2287;
    /** {@code _uuid}, the array of {@code uuid}. */
    public static final int UUID_ARRAY = 2951;
    /** {@code _pg_lsn}, the array of {@code pg_lsn}. */
    public static final int PG_LSN_ARRAY = 3221;
    /** {@code _tsvector}, the array of {@code tsvector}. */
    public static final int TSVECTOR_ARRAY = 3643;
    /** {@code _tsquery}, the array of {@code tsquery}. */
    public static final int TSQUERY_ARRAY = 3645;
    /** {@code _jsonb}, the array of {@code jsonb}. */
    public static final int JSONB_ARRAY = 3807;
    /** {@code _int4range}, the array of {@code int4range}. */
    public static final int INT4RANGE_ARRAY = 3905;
    /** {@code _numrange}, the array of {@code numrange}. */
    public static final int NUMRANGE_ARRAY = 3907;
    /** {@code _tsrange}, the array of {@code tsrange}. */
    public static final int TSRANGE_ARRAY = 3909;
    /** {@code _tstzrange}, the array of {@code tstzrange}. */
    public static final int TSTZRANGE_ARRAY = 3911;
    /** {@code _daterange}, the array of {@code daterange}. */
    public static final int DATERANGE_ARRAY = 3913;
    /** {@code _int8range}, the array of {@code int8range}. */
    public static final int INT8RANGE_ARRAY = 3927;
    /** {@code _jsonpath}, the array of {@code jsonpath}. */
    public static final int JSONPATH_ARRAY = 4073;
    /** {@code _int4multirange}, the array of {@code int4multirange}. */
    public static final int INT4MULTIRANGE_ARRAY = 6150;
    /** {@code _nummultirange}, the array of {@code nummultirange}. */
    public static final int NUMMULTIRANGE_ARRAY = 6151;
    /** {@code _tsmultirange}, the array of {@code tsmultirange}. */
    public static final int TSMULTIRANGE_ARRAY = 6152;
    /** {@code _tstzmultirange}, the array of {@code tstzmultirange}. */
    public static final int TSTZMULTIRANGE_ARRAY = 6153;
    /** {@code _datemultirange}, the array of {@code datemultirange}. */
    public static final int DATEMULTIRANGE_ARRAY = 6155;
    /** {@code _int8multirange}, the array of {@code int8multirange}. */
    public static final int INT8MULTIRANGE_ARRAY = 6157;
    /** {@code _xid8}, the array of {@code xid8}. */
    public static final int XID8_ARRAY = 271;

    private static final Map<Integer, String> NAMES;
    private static final Map<Integer, Integer> ELEMENTS;

    static {
        int[][] pairs = {
            {BOOL, BOOL_ARRAY},
            {BYTEA, BYTEA_ARRAY},
            {CHAR, CHAR_ARRAY},
            {NAME, NAME_ARRAY},
            {INT8, INT8_ARRAY},
            {INT2, INT2_ARRAY},
            {INT4, INT4_ARRAY},
            {TEXT, TEXT_ARRAY},
            {OID, OID_ARRAY},
            {XID, XID_ARRAY},
            {CID, CID_ARRAY},
            {JSON, JSON_ARRAY},
            {XML, XML_ARRAY},
            {POINT, POINT_ARRAY},
            {LSEG, LSEG_ARRAY},
            {PATH, PATH_ARRAY},
            {BOX, BOX_ARRAY},
            {POLYGON, POLYGON_ARRAY},
            {LINE, LINE_ARRAY},
            {CIDR, CIDR_ARRAY},
            {FLOAT4, FLOAT4_ARRAY},
            {FLOAT8, FLOAT8_ARRAY},
            {CIRCLE, CIRCLE_ARRAY},
            {MACADDR8, MACADDR8_ARRAY},
            {MONEY, MONEY_ARRAY},
            {MACADDR, MACADDR_ARRAY},
            {INET, INET_ARRAY},
            {BPCHAR, BPCHAR_ARRAY},
            {VARCHAR, VARCHAR_ARRAY},
            {DATE, DATE_ARRAY},
            {TIME, TIME_ARRAY},
            {TIMESTAMP, TIMESTAMP_ARRAY},
            {TIMESTAMPTZ, TIMESTAMPTZ_ARRAY},
            {INTERVAL, INTERVAL_ARRAY},
            {TIMETZ, TIMETZ_ARRAY},
            {BIT, BIT_ARRAY},
            {VARBIT, VARBIT_ARRAY},
            {NUMERIC, NUMERIC_ARRAY},
            {RECORD, RECORD_ARRAY},
            {UUID, UUID_ARRAY},
            {PG_LSN, PG_LSN_ARRAY},
            {TSVECTOR, TSVECTOR_ARRAY},
            {TSQUERY, TSQUERY_ARRAY},
            {JSONB, JSONB_ARRAY},
            {INT4RANGE, INT4RANGE_ARRAY},
            {NUMRANGE, NUMRANGE_ARRAY},
            {TSRANGE, TSRANGE_ARRAY},
            {TSTZRANGE, TSTZRANGE_ARRAY},
            {DATERANGE, DATERANGE_ARRAY},
            {INT8RANGE, INT8RANGE_ARRAY},
            {JSONPATH, JSONPATH_ARRAY},
            {INT4MULTIRANGE, INT4MULTIRANGE_ARRAY},
            {NUMMULTIRANGE, NUMMULTIRANGE_ARRAY},
            {TSMULTIRANGE, TSMULTIRANGE_ARRAY},
            {TSTZMULTIRANGE, TSTZMULTIRANGE_ARRAY},
            {DATEMULTIRANGE, DATEMULTIRANGE_ARRAY},
            {INT8MULTIRANGE, INT8MULTIRANGE_ARRAY},
            {XID8, XID8_ARRAY},
        };
        String[] names = {
            "bool", "bytea", "char", "name", "int8", "int2", "int4", "text", "oid", "xid", "cid", "json", "xml", "point", "lseg", "path", "box", "polygon", "line", "cidr", "float4", "float8", "circle", "macaddr8", "money", "macaddr", "inet", "bpchar", "varchar", "date", "time", "timestamp", "timestamptz", "interval", "timetz", "bit", "varbit", "numeric", "record", "uuid", "pg_lsn", "tsvector", "tsquery", "jsonb", "int4range", "numrange", "tsrange", "tstzrange", "daterange", "int8range", "jsonpath", "int4multirange", "nummultirange", "tsmultirange", "tstzmultirange", "datemultirange", "int8multirange", "xid8",
        };
        Map<Integer, String> byOid = new HashMap<>();
        Map<Integer, Integer> elements = new HashMap<>();
        for (int i = 0; i < pairs.length; i++) {
            byOid.put(pairs[i][0], names[i]);
            byOid.put(pairs[i][1], "_" + names[i]);
            elements.put(pairs[i][1], pairs[i][0]);
        }
        NAMES = Map.copyOf(byOid);
        ELEMENTS = Map.copyOf(elements);
    }

    /** The element type of a built-in array type, or 0 when it is not one. */
    public static int elementOf(int arrayOid) {
        Integer element = ELEMENTS.get(arrayOid);
        return element == null ? 0 : element;
    }

    /** The {@code pg_type.typname} of a built-in type this library knows, or {@code null}. */
    public static String nameOf(int oid) {
        return NAMES.get(oid);
    }

    /** The array element delimiter of a built-in type: {@code ';'} for {@code box}, {@code ','} otherwise. */
    public static char delimiterOf(int oid) {
        return oid == BOX ? ';' : ',';
    }

    /** The element type of a built-in range type, or 0 when it is not one. */
    public static int rangeSubtypeOf(int rangeOid) {
        return switch (rangeOid) {
            case INT4RANGE, INT4MULTIRANGE -> INT4;
            case INT8RANGE, INT8MULTIRANGE -> INT8;
            case NUMRANGE, NUMMULTIRANGE -> NUMERIC;
            case TSRANGE, TSMULTIRANGE -> TIMESTAMP;
            case TSTZRANGE, TSTZMULTIRANGE -> TIMESTAMPTZ;
            case DATERANGE, DATEMULTIRANGE -> DATE;
            default -> 0;
        };
    }

    /** The range type of a built-in multirange type, or 0 when it is not one. */
    public static int rangeOfMultirange(int multirangeOid) {
        return switch (multirangeOid) {
            case INT4MULTIRANGE -> INT4RANGE;
            case INT8MULTIRANGE -> INT8RANGE;
            case NUMMULTIRANGE -> NUMRANGE;
            case TSMULTIRANGE -> TSRANGE;
            case TSTZMULTIRANGE -> TSTZRANGE;
            case DATEMULTIRANGE -> DATERANGE;
            default -> 0;
        };
    }
}
