package dev.pgoutput.conformance;

import static dev.pgoutput.conformance.ConformanceProperties.DEFAULT_UNITS;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Truncated, bit-flipped, byte-inserted, length-forced and random input: every decoder either decodes it
 * or throws {@link dev.pgoutput.api.DecodeException}, within the allocation allowance of {@link Outcome}
 * and the per-case timeout of {@link PropertyRunner}.
 */
class MalformedInputTest {

    @TestFactory
    Stream<DynamicTest> mutatedMessagesOnlyRaiseDecodeException() {
        return PerDecoder.each("mutated input", 3_000,
                (p, random) -> ConformanceProperties.mutatedInputOnlyDecodeException(p, random, DEFAULT_UNITS));
    }

    @TestFactory
    Stream<DynamicTest> randomBytesOnlyRaiseDecodeException() {
        return PerDecoder.each("random bytes", 3_000, ConformanceProperties::randomBytesOnlyDecodeException);
    }

    @TestFactory
    Stream<DynamicTest> extremeCountsAndLengthsAreRejectedCheaply() {
        return PerDecoder.each("extreme size fields", 500,
                (p, random) -> ConformanceProperties.extremeSizeFields(p, random, DEFAULT_UNITS));
    }
}
