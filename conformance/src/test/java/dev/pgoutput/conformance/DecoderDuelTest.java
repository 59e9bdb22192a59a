package dev.pgoutput.conformance;

import static dev.pgoutput.conformance.ConformanceProperties.DEFAULT_UNITS;

import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every pair of decoders gives the same result on the same bytes: equal messages, or DecodeExceptions
 * with the same class, LSN, type byte, offset and message. Inputs are valid sessions with about a third
 * of the messages mutated, or random byte sequences, fed in order so the stream-block state is dueled too.
 */
class DecoderDuelTest {

    @TestFactory
    Stream<DynamicTest> decodersAgreeOnEveryInput() {
        return PerDecoder.eachPair("duel", 3_000,
                (a, b, random) -> ConformanceProperties.decodersAgree(a, b, random, DEFAULT_UNITS));
    }
}
