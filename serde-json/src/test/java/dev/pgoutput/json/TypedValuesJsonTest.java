package dev.pgoutput.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.pgoutput.types.PgBox;
import dev.pgoutput.types.PgInterval;
import dev.pgoutput.types.PgPoint;
import dev.pgoutput.types.PgRange;
import dev.pgoutput.types.PgUnknownValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON forms of the value types of issue 4, and the Debezium-named options. */
class TypedValuesJsonTest {

    private static String json(Object value, JsonOptions options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = DebeziumJson.FACTORY.createGenerator(out)) {
            new ValueWriter(gen, options).writeValue(value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String json(Object value) throws IOException {
        return json(value, JsonOptions.DEFAULTS);
    }

    @Test
    void valueTypes() throws IOException {
        assertEquals("\"P1Y2M3DT4H5M6.5S\"", json(new PgInterval(14, 3, 14_706_500_000L)));
        assertEquals("{\"x\":1.5,\"y\":-2.0}", json(new PgPoint(1.5, -2)));
        assertEquals("{\"high\":{\"x\":1.0,\"y\":1.0},\"low\":{\"x\":0.0,\"y\":\"NaN\"}}",
                json(new PgBox(new PgPoint(1, 1), new PgPoint(0, Double.NaN))));
        assertEquals("{\"lower\":\"2020-01-01\",\"upper\":null,\"lower_inclusive\":true,\"upper_inclusive\":false}",
                json(new PgRange<>(LocalDate.of(2020, 1, 1), null, true, false, false)));
        assertEquals("\"empty\"", json(PgRange.emptyRange()));
        assertEquals("\"AQI=\"", json(new PgUnknownValue("geo", new byte[] {1, 2})));
    }

    @Test
    void options() throws IOException {
        JsonOptions o = JsonOptions.of(Map.of("decimal.handling.mode", "string", "binary.handling.mode", "hex",
                "interval.handling.mode", "numeric", "time.precision.mode", "adaptive_time_microseconds"));
        assertEquals("\"0.0000001\"", json(new BigDecimal("0.0000001"), o));
        assertEquals("0.5", json(new BigDecimal("0.50"), JsonOptions.DEFAULTS.withDecimalHandling(JsonOptions.DecimalHandling.DOUBLE)));
        assertEquals("\"00ff\"", json(new byte[] {0, (byte) 0xff}, o));
        assertEquals("86400000001", json(new PgInterval(0, 1, 1), o));
        assertEquals("1", json(LocalDate.of(1970, 1, 2), o));
        assertEquals("1000001", json(LocalTime.of(0, 0, 1, 1000), o));
        assertEquals("-1", json(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), o));
        assertEquals("\"infinity\"", json(LocalDate.MAX, o));
        assertThrows(IllegalArgumentException.class, () -> JsonOptions.of(Map.of("decimal.handling.mode", "exact")));
        assertThrows(IllegalArgumentException.class, () -> JsonOptions.of(Map.of("nope", "x")));
        assertEquals("debezium-json(indent=0)", new DebeziumJsonSerializerProvider()
                .create(Map.of("indent", "0", "binary.handling.mode", "hex")).toString());
    }
}
