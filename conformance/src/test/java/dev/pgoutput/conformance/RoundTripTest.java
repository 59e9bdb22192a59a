package dev.pgoutput.conformance;

import static dev.pgoutput.conformance.ConformanceProperties.DEFAULT_UNITS;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every decoder reproduces the model: decode(encode(m)) equals m. */
class RoundTripTest {

    @TestFactory
    Stream<DynamicTest> decodeOfEncodeIsIdentity() {
        return PerDecoder.each("round trip", 2_000,
                (p, random) -> ConformanceProperties.roundTrip(p, random, DEFAULT_UNITS));
    }

    @TestFactory
    Stream<DynamicTest> junkBetweenMessagesDoesNotDisturbTheDecoder() {
        return PerDecoder.each("junk does not disturb", 1_000,
                (p, random) -> ConformanceProperties.junkDoesNotDisturb(p, random, DEFAULT_UNITS));
    }
}
