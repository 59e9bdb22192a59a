package dev.pgoutput.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ValueType#convertsBinary()} says exactly which types the binary conversion handles: for every
 * built-in scalar type, it is true when and only when a value does not come back as {@link PgUnknownValue}.
 */
class BinaryCoverageTest {

    @Test
    void everyBuiltInScalarIsSaidCoveredExactlyWhenItConverts() throws Exception {
        int checked = 0;
        for (Field f : PgType.class.getFields()) {
            if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            int oid = f.getInt(null);
            ValueType type = ValueType.builtin(oid);
            if (type.kind() != ValueType.Kind.SCALAR) {
                continue;
            }
            boolean unknown;
            try {
                // 64 zero bytes: a valid value of most fixed-size types; any other outcome but PgUnknownValue
                // (a value or a format error) means the type has a conversion.
                unknown = BinaryValues.scalar(oid, new byte[64], 0, 64) instanceof PgUnknownValue;
            } catch (RuntimeException e) {
                unknown = false;
            }
            assertEquals(!unknown, type.convertsBinary(), f.getName());
            checked++;
        }
        assertTrue(checked > 40, "checked " + checked + " scalar types");
    }

    @Test
    void aContainerIsCoveredOnlyWhenEveryPartIs() {
        ValueType int4 = ValueType.builtin(PgType.INT4);
        ValueType unknown = ValueType.unknown("mood");
        assertTrue(ValueType.array("_int4", int4, ',').convertsBinary());
        assertFalse(ValueType.array("_mood", unknown, ',').convertsBinary());
        assertFalse(ValueType.composite("pair", List.of("a", "b"), List.of(int4, unknown)).convertsBinary());
        assertTrue(ValueType.range("int4range", int4).convertsBinary());
    }
}
