package dev.pgoutput.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pgoutput.types.ValueType.JsonForm;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonFormTest {

    private static final int MOOD = 90_001;
    private static final int POSITIVE = 90_002;

    /** An enum and a domain over int4, as a catalog would describe them. */
    private static final TypeCatalog CATALOG = new TypeCatalog() {
        private final Map<Integer, TypeInfo> types = Map.of(
                MOOD, new TypeInfo(MOOD, "public", "mood", 'e', 0, 0, ',', 0, List.of()),
                POSITIVE, new TypeInfo(POSITIVE, "public", "positive", 'd', PgType.INT4, 0, ',', 0, List.of()));

        @Override
        public Optional<TypeInfo> find(int oid) {
            return Optional.ofNullable(types.get(oid));
        }

        @Override
        public void forget(int oid) {
        }
    };

    private static JsonForm form(int oid) {
        return ValueType.resolve(oid, null, CATALOG).jsonForm();
    }

    @Test
    void builtinScalarsSayHowTheirTextIsWritten() {
        for (int oid : new int[] {PgType.INT2, PgType.INT4, PgType.INT8, PgType.OID, PgType.XID, PgType.CID}) {
            assertEquals(JsonForm.INTEGER, form(oid), PgType.nameOf(oid));
        }
        assertEquals(JsonForm.DECIMAL, form(PgType.NUMERIC));
        assertEquals(JsonForm.FLOAT, form(PgType.FLOAT4));
        assertEquals(JsonForm.FLOAT, form(PgType.FLOAT8));
        assertEquals(JsonForm.BOOLEAN, form(PgType.BOOL));
        for (int oid : new int[] {PgType.TEXT, PgType.VARCHAR, PgType.BPCHAR, PgType.NAME, PgType.JSON, PgType.JSONB,
            PgType.JSONPATH, PgType.XML, PgType.UUID, PgType.MACADDR, PgType.MACADDR8, PgType.BIT, PgType.VARBIT,
            PgType.TSVECTOR, PgType.TSQUERY}) {
            assertEquals(JsonForm.STRING, form(oid), PgType.nameOf(oid));
        }
        for (int oid : new int[] {PgType.XID8, PgType.MONEY, PgType.BYTEA, PgType.DATE, PgType.TIMESTAMPTZ,
            PgType.INTERVAL, PgType.INET, PgType.POINT, PgType.PG_LSN, PgType.CHAR}) {
            assertEquals(JsonForm.CONVERTED, form(oid), PgType.nameOf(oid));
        }
    }

    @Test
    void userTypesFollowWhatTheyConvertLike() {
        assertEquals(JsonForm.STRING, form(MOOD));
        assertEquals(JsonForm.INTEGER, form(POSITIVE));
        assertEquals(JsonForm.STRING, ValueType.resolve(91_000, "public.citext", TypeCatalog.NONE).jsonForm());
        assertEquals(JsonForm.CONVERTED, ValueType.resolve(91_001, "public.hstore", TypeCatalog.NONE).jsonForm());
        assertEquals(JsonForm.CONVERTED, ValueType.builtin(91_002).jsonForm());
    }

    @Test
    void containersAreConverted() {
        assertEquals(JsonForm.CONVERTED, form(PgType.INT4_ARRAY));
        assertEquals(JsonForm.CONVERTED, form(PgType.INT4RANGE));
        assertEquals(JsonForm.CONVERTED, form(PgType.INT4MULTIRANGE));
    }
}
