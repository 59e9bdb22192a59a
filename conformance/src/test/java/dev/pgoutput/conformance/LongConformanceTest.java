package dev.pgoutput.conformance;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every property with longer sessions, for soak runs outside the default build:
 *
 * <pre>
 * ./mvnw -pl conformance -am verify -Dgroups=long -Dconformance.longCases=1000000
 * </pre>
 *
 * {@code -Dconformance.longCases} (default 100,000) sets the cases of these properties only, so the rest
 * of the suite runs at its usual size in the same build; {@code -Dconformance.cases} still overrides
 * both. Run it through {@code verify} (or at least {@code package} of the decoders): the Panama decoder
 * is a multi-release jar and is only supported from the jar, not from {@code target/classes}.
 * {@code -Dconformance.decoders=panama} repeats the single-decoder properties for one decoder only.
 */
@Tag("long")
class LongConformanceTest {

    private static final int CASES = Integer.getInteger("conformance.longCases", 100_000);
    private static final int UNITS = 12;

    @TestFactory
    Stream<DynamicTest> roundTrip() {
        return PerDecoder.each("long round trip", CASES, (p, r) -> ConformanceProperties.roundTrip(p, r, UNITS));
    }

    @TestFactory
    Stream<DynamicTest> junkDoesNotDisturb() {
        return PerDecoder.each("long junk", CASES, (p, r) -> ConformanceProperties.junkDoesNotDisturb(p, r, UNITS));
    }

    @TestFactory
    Stream<DynamicTest> mutatedInput() {
        return PerDecoder.each("long mutated input", CASES,
                (p, r) -> ConformanceProperties.mutatedInputOnlyDecodeException(p, r, UNITS));
    }

    @TestFactory
    Stream<DynamicTest> randomBytes() {
        return PerDecoder.each("long random bytes", CASES, ConformanceProperties::randomBytesOnlyDecodeException);
    }

    @TestFactory
    Stream<DynamicTest> extremeSizeFields() {
        return PerDecoder.each("long extreme size fields", CASES / 10,
                (p, r) -> ConformanceProperties.extremeSizeFields(p, r, UNITS));
    }

    @TestFactory
    Stream<DynamicTest> duel() {
        return PerDecoder.eachPair("long duel", CASES, (a, b, r) -> ConformanceProperties.decodersAgree(a, b, r, UNITS));
    }
}
