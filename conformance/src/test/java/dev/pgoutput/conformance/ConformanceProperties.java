package dev.pgoutput.conformance;

import dev.pgoutput.api.DecodeException;
import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.testing.EncodedMessage;
import dev.pgoutput.testing.Mutator;
import dev.pgoutput.testing.PgOutputEncoder;
import dev.pgoutput.testing.PgOutputGenerator;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The properties every decoder is held to, written once and run by the default test classes (a few
 * thousand cases) and by {@link LongConformanceTest} (as many as asked for). Each method is one case.
 */
final class ConformanceProperties {

    /** Sessions stay short in the default run; the long run passes more. */
    static final int DEFAULT_UNITS = 4;

    private ConformanceProperties() {
    }

    /** decode(encode(m)) equals m, message by message, for any buffer shape. */
    static void roundTrip(DecoderProvider provider, SplittableRandom random, int units) {
        PgOutputGenerator.Session session = new PgOutputGenerator(random, units).session();
        PgOutputEncoder encoder = new PgOutputEncoder();
        PgOutputDecoder decoder = new MessageSequenceDecoder(provider.create());
        List<PgOutputMessage> messages = session.messages();
        for (int i = 0; i < messages.size(); i++) {
            PgOutputMessage expected = messages.get(i);
            byte[] bytes = encoder.encode(expected).bytes();
            long lsn = random.nextLong();
            Outcome outcome = Outcome.decode(provider.name(), decoder, BufferShape.any(bytes, random), lsn);
            if (outcome.failed() || !expected.equals(outcome.message())) {
                throw new AssertionError(provider.name() + ": message " + i + " of a protocol "
                        + session.protocolVersion() + " session did not round-trip\n  expected " + expected
                        + "\n  decoded  " + outcome + "\n  bytes    " + hex(bytes));
            }
        }
    }

    /**
     * Junk between valid messages fails or decodes, and never disturbs the decoder: the valid messages
     * around it still round-trip. The junk never starts with S or E, which would legitimately change
     * the stream-block state.
     */
    static void junkDoesNotDisturb(DecoderProvider provider, SplittableRandom random, int units) {
        PgOutputGenerator.Session session = new PgOutputGenerator(random, units).session();
        PgOutputEncoder encoder = new PgOutputEncoder();
        PgOutputDecoder decoder = new MessageSequenceDecoder(provider.create());
        for (PgOutputMessage expected : session.messages()) {
            if (random.nextInt(3) == 0) {
                EncodedMessage valid = new PgOutputEncoder().encode(expected);
                byte[] junk = random.nextBoolean() ? Mutator.mutate(valid, random) : Mutator.randomMessage(random);
                if (junk.length > 0 && (junk[0] == 'S' || junk[0] == 'E')) {
                    junk[0] = 'Z';
                }
                checkOnlyDecodeException(provider.name(), decoder, junk, random);
            }
            byte[] bytes = encoder.encode(expected).bytes();
            Outcome outcome = Outcome.decode(provider.name(), decoder, BufferShape.EXACT.wrap(bytes), 1);
            if (!expected.equals(outcome.message())) {
                throw new AssertionError(provider.name() + ": a valid message after junk did not round-trip\n"
                        + "  expected " + expected + "\n  decoded  " + outcome + "\n  bytes    " + hex(bytes));
            }
        }
    }

    /** Mutated messages inside a session only ever raise DecodeException, with a truthful position. */
    static void mutatedInputOnlyDecodeException(DecoderProvider provider, SplittableRandom random, int units) {
        PgOutputDecoder decoder = new MessageSequenceDecoder(provider.create());
        for (byte[] bytes : mutatedSession(random, units)) {
            checkOnlyDecodeException(provider.name(), decoder, bytes, random);
        }
    }

    /** Random bytes, mostly behind a real type byte, only ever raise DecodeException. */
    static void randomBytesOnlyDecodeException(DecoderProvider provider, SplittableRandom random) {
        PgOutputDecoder decoder = new MessageSequenceDecoder(provider.create());
        for (int i = 0; i < 8; i++) {
            checkOnlyDecodeException(provider.name(), decoder, Mutator.randomMessage(random), random);
        }
    }

    /**
     * Every count and length field of a message forced to an extreme, one at a time: the decoder must
     * reject it (or, for a harmless value, decode it) without allocating out of proportion, running out
     * of memory or looping.
     */
    static void extremeSizeFields(DecoderProvider provider, SplittableRandom random, int units) {
        PgOutputGenerator.Session session = new PgOutputGenerator(random, units).session();
        PgOutputEncoder encoder = new PgOutputEncoder();
        for (PgOutputMessage message : session.messages()) {
            boolean inBlock = encoder.inStreamBlock();
            EncodedMessage encoded = encoder.encode(message);
            int[] offsets = encoded.sizeFieldOffsets();
            for (int k = 0; k < offsets.length && k < 8; k++) {
                int field = offsets.length <= 8 ? k : random.nextInt(offsets.length);
                byte[] bytes = encoded.bytes().clone();
                int width = encoded.sizeFieldWidths()[field];
                long value = random.nextBoolean() ? 0x7FFF_FFFFL : random.nextBoolean() ? 0xFFFF_FFFFL : 0x8000_0000L;
                for (int i = 0; i < width; i++) {
                    bytes[offsets[field] + i] = (byte) (value >>> (8 * (width - 1 - i)));
                }
                PgOutputDecoder decoder = new MessageSequenceDecoder(provider.create());
                if (inBlock) {
                    decoder.decode(BufferShape.EXACT.wrap(new PgOutputEncoder().encode(
                            new dev.pgoutput.protocol.StreamStart(1, true)).bytes()), 0);
                }
                checkOnlyDecodeException(provider.name(), decoder, bytes, random);
            }
        }
    }

    /** Two decoders fed the same (partly mutated) session agree on every message, errors included. */
    static void decodersAgree(DecoderProvider a, DecoderProvider b, SplittableRandom random, int units) {
        Duel duel = new Duel(List.of(a, b));
        List<byte[]> inputs = random.nextInt(4) == 0 ? randomSession(random) : mutatedSession(random, units);
        for (int i = 0; i < inputs.size(); i++) {
            duel.assertSameOutcome(inputs.get(i), random, random.nextLong(), "message " + i + " of " + inputs.size());
        }
    }

    /** A generated session as bytes, each message mutated with probability 1/3. */
    static List<byte[]> mutatedSession(SplittableRandom random, int units) {
        PgOutputGenerator.Session session = new PgOutputGenerator(random, units).session();
        PgOutputEncoder encoder = new PgOutputEncoder();
        List<byte[]> out = new ArrayList<>();
        for (PgOutputMessage message : session.messages()) {
            EncodedMessage encoded = encoder.encode(message);
            out.add(random.nextInt(3) == 0 ? Mutator.mutate(encoded, random) : encoded.bytes());
        }
        return out;
    }

    private static List<byte[]> randomSession(SplittableRandom random) {
        List<byte[]> out = new ArrayList<>();
        int n = 1 + random.nextInt(12);
        for (int i = 0; i < n; i++) {
            out.add(Mutator.randomMessage(random));
        }
        return out;
    }

    /** Decodes and checks the DecodeException contract: the given LSN, the type byte, an offset inside. */
    static Outcome checkOnlyDecodeException(String name, PgOutputDecoder decoder, byte[] bytes,
                                            SplittableRandom random) {
        long lsn = random.nextLong();
        Outcome outcome = Outcome.decode(name, decoder, BufferShape.any(bytes, random), lsn);
        if (outcome.failed()) {
            DecodeException e = outcome.error();
            int type = bytes.length == 0 ? -1 : bytes[0] & 0xFF;
            if (e.lsn() != lsn || e.messageType() != type || e.offset() < 0 || e.offset() > bytes.length) {
                throw new AssertionError(name + ": DecodeException does not describe the input (lsn " + lsn
                        + ", type " + type + ", length " + bytes.length + "): " + outcome + "\n  bytes: " + hex(bytes));
            }
        }
        return outcome;
    }

    /** Hex of at most the first 256 bytes, enough to spot the field in a failure report. */
    static String hex(byte[] bytes) {
        String h = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 256));
        return bytes.length > 256 ? h + "… (" + bytes.length + " bytes)" : h;
    }
}
