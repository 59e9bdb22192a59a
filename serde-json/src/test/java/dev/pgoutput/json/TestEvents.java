package dev.pgoutput.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Source;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Hand-made events and a strict JSON parser for checking the output. */
final class TestEvents {

    static final long TS_NS = 1_709_280_000_123_456_789L;

    static final Source SOURCE = Source.builder().version("0.1.0").connector(Source.CONNECTOR).name("srv")
            .tsMs(1_709_280_000_123L).snapshot("false").db("shop").schema("public").table("users").txId(742L)
            .lsn(23_803_464L).sequence("[\"23803416\",\"23803464\"]").commitLsn(23_803_500L).build();

    /**
     * Strict: fails on trailing tokens and duplicate names, keeps decimals exact (scale included), and accepts numbers
     * as long as PostgreSQL's numeric allows.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(200_000).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private TestEvents() {
    }

    static ChangeEvent event(Op op, Map<String, Object> before, Map<String, Object> after) {
        return ChangeEvent.builder().op(op).before(before).after(after).source(SOURCE).tsNs(TS_NS).build();
    }

    static ChangeEvent insert(Map<String, Object> after) {
        return event(Op.CREATE, null, after);
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not valid JSON: " + e.getMessage() + "\n" + json, e);
        }
    }

    /** The "after" object of the compact JSON of an insert of {@code row}. */
    static JsonNode after(Map<String, Object> row) {
        return parse(DebeziumJson.toJson(insert(row), 0)).get("after");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
