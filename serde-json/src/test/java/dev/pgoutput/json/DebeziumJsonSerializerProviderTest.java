package dev.pgoutput.json;

import static dev.pgoutput.json.TestEvents.insert;
import static dev.pgoutput.json.TestEvents.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.spi.EventSerializer;
import dev.pgoutput.spi.SerializerProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DebeziumJsonSerializerProviderTest {

    private static final ChangeEvent EVENT = insert(Map.of("id", 1));

    private static SerializerProvider provider() {
        List<SerializerProvider> found = ServiceLoader.load(SerializerProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.format().equals("debezium-json"))
                .toList();
        assertEquals(1, found.size(), "exactly one debezium-json provider");
        return found.get(0);
    }

    @Test
    void foundByServiceLoader() {
        assertTrue(provider() instanceof DebeziumJsonSerializerProvider);
    }

    @Test
    void defaultIsTwoSpaceIndent() {
        String json = new String(provider().create(Map.of()).serialize(EVENT), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\n  \"before\": null,\n  \"after\": {\n    \"id\": 1\n  },\n"), json);
        String same = new String(provider().create(null).serialize(EVENT), StandardCharsets.UTF_8);
        assertEquals(json, same);
    }

    @Test
    void indentZeroIsCompact() throws IOException {
        EventSerializer serializer = provider().create(Map.of("indent", "0"));
        byte[] bytes = serializer.serialize(EVENT);
        String json = new String(bytes, StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\"before\":null,\"after\":{\"id\":1},\"source\":{"), json);
        assertEquals(1, json.lines().count());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.write(EVENT, out);
        assertArrayEquals(bytes, out.toByteArray());
        assertEquals(1, parse(json).get("after").get("id").intValue());
    }

    @Test
    void indentFour() {
        String json = new String(provider().create(Map.of("indent", " 4 ")).serialize(EVENT), StandardCharsets.UTF_8);
        assertTrue(json.startsWith("{\n    \"before\": null,\n"), json);
    }

    @Test
    void unknownOptionNamesTheValidOnes() {
        Map<String, String> options = new HashMap<>();
        options.put("indent", "2");
        options.put("pretty", "true");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> provider().create(options));
        assertTrue(e.getMessage().contains("'pretty'"), e.getMessage());
        assertTrue(e.getMessage().contains("valid options: indent"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "two", "-1", "33", "2.5", "99999999999"})
    void badIndentIsRejected(String indent) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider().create(Map.of("indent", indent)));
        assertTrue(e.getMessage().contains("indent"), e.getMessage());
    }
}
