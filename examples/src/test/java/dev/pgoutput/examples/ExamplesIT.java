package dev.pgoutput.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The examples do what the README says they do. */
class ExamplesIT {

    @Test
    void quickstartPrintsEveryChangeAsDebeziumJson() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int printed = Quickstart.run(17, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(Quickstart.WORKLOAD.size(), printed);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("\"balance\": 100.50,"),
                "numeric keeps its exact digits in the JSON text");

        // Pretty-printed documents, one after another: read them as a sequence of JSON values.
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        List<JsonNode> events = new ArrayList<>();
        mapper.readerFor(JsonNode.class).readValues(bytes.toString(StandardCharsets.UTF_8))
                .forEachRemaining(n -> events.add((JsonNode) n));
        assertEquals(List.of("c", "c", "u", "u", "d"), events.stream().map(e -> e.get("op").asText()).toList());

        JsonNode ada = events.get(0);
        assertEquals("Ada Lovelace", ada.get("after").get("name").asText());
        assertDecimal("100.50", ada.get("after").get("balance"));
        assertEquals("users", ada.get("source").get("table").asText());
        assertEquals("pgoutput-decoder", ada.get("source").get("connector").asText());
        assertTrue(ada.get("before").isNull());

        JsonNode raise = events.get(2);
        assertDecimal("100.50", raise.get("before").get("balance"));
        assertDecimal("125.50", raise.get("after").get("balance"));

        JsonNode delete = events.get(4);
        assertEquals("Grace Hopper", delete.get("before").get("name").asText());
        assertTrue(delete.get("after").isNull());
    }

    @Test
    void manualAcknowledgeGetsTheUnacknowledgedBatchAgain() throws Exception {
        List<List<Object>> runs = ManualAcknowledge.run(17, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertEquals(List.of(1, 2, 3, 4, 5), runs.get(0));
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void outboxRelayPublishesCommittedMessagesInOrder() throws Exception {
        List<String> relayed = OutboxRelay.run(17, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        assertEquals(List.of(
                "{\"type\":\"UserRegistered\",\"id\":1,\"name\":\"Ada\"}",
                "{\"type\":\"UserRegistered\",\"id\":2,\"name\":\"Brian\"}",
                "{\"type\":\"UserRegistered\",\"id\":4,\"name\":\"Dennis\"}",
                "{\"type\":\"UserRegistered\",\"id\":5,\"name\":\"Edsger\"}"), relayed);
    }

    private static void assertDecimal(String expected, JsonNode actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual.decimalValue()), expected + " vs " + actual);
    }
}
