package dev.pgoutput.conformance;

import dev.pgoutput.protocol.PgOutputMessage;
import dev.pgoutput.spi.DecoderProvider;
import dev.pgoutput.spi.MessageSequenceDecoder;
import dev.pgoutput.spi.PgOutputDecoder;
import dev.pgoutput.testing.Samples;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The duel: decoders fed the same inputs in lockstep, one {@link MessageSequenceDecoder} each, so that a
 * Stream Start or Stop that one decoder accepts and another rejects also shows in later outcomes (the
 * block state differs from then on). Every outcome must
 * be the same ({@link Outcome#sameAs}: equal messages, or DecodeExceptions with the same class, LSN, type
 * byte, offset and message), and each decode is checked on its own by {@link Outcome#decode} (nothing
 * but DecodeException, position and limit left alone, allocation in proportion).
 *
 * <pre>{@code
 * Duel duel = Duel.ofSupported();                       // skipped visibly with fewer than two decoders
 * duel.assertSameOutcome(bytes, BufferShape.DIRECT);    // the same shape for every decoder
 * duel.assertSameOutcome(bytes, random, lsn, "case 7"); // a random shape for each decoder
 * }</pre>
 *
 * <p>This is the one duel harness: the sample, cut and mutation duels, the property duel
 * ({@link ConformanceProperties#decodersAgree}), the corpus duel and the Jazzer target all go through it,
 * and {@link DuelSelfTest} proves it can fail.
 */
final class Duel {

    /** The LSN of a decode whose test does not name one. */
    static final long DEFAULT_LSN = 0x0000_0001_6B37_48A0L;

    private final List<DecoderProvider> providers;
    private final List<PgOutputDecoder> decoders = new ArrayList<>();

    /**
     * The given decoders, fresh and outside any streamed block. With a single one, only the per-decode
     * checks of {@link Outcome} hold (the Jazzer target still wants that).
     */
    Duel(List<DecoderProvider> providers) {
        if (providers.isEmpty()) {
            throw new AssertionError("no supported decoder: " + Decoders.describe());
        }
        this.providers = List.copyOf(providers);
        for (DecoderProvider p : this.providers) {
            decoders.add(new MessageSequenceDecoder(p.create()));
        }
    }

    /**
     * Every supported decoder. Skips the calling test visibly when fewer than two can run here (the
     * Panama decoder on an older JDK, or from {@code target/classes} instead of its multi-release jar),
     * rather than letting a duel pass by comparing a decoder with itself.
     */
    static Duel ofSupported() {
        Decoders.assumeADuel();
        return new Duel(Decoders.supported());
    }

    /** {@link #ofSupported()}, inside a streamed block when {@code sample} is a streamed one. */
    static Duel preparedFor(Samples.Sample sample) {
        Duel duel = ofSupported();
        if (sample.streamed()) {
            duel.assertSameOutcome(Samples.streamStart(), BufferShape.EXACT);
        }
        return duel;
    }

    /** Decodes {@code bytes} with every decoder in the same shape, at the default LSN. */
    Outcome assertSameOutcome(byte[] bytes, BufferShape shape) {
        return assertSameOutcome(bytes, shape, DEFAULT_LSN, "");
    }

    /** Decodes {@code bytes} with every decoder in the same shape; returns the (common) outcome. */
    Outcome assertSameOutcome(byte[] bytes, BufferShape shape, long lsn, String context) {
        return assertSameOutcome(bytes, shape::wrap, lsn, context + " [" + shape + "]");
    }

    /** Decodes {@code bytes} with every decoder, each in its own randomly chosen shape. */
    Outcome assertSameOutcome(byte[] bytes, SplittableRandom shapes, long lsn, String context) {
        return assertSameOutcome(bytes, b -> BufferShape.any(b, shapes), lsn, context);
    }

    private Outcome assertSameOutcome(byte[] bytes, Function<byte[], ByteBuffer> shape, long lsn, String context) {
        Outcome first = null;
        for (int k = 0; k < decoders.size(); k++) {
            String name = providers.get(k).name();
            Outcome o = Outcome.decode(name + " " + context, decoders.get(k), shape.apply(bytes), lsn);
            if (first == null) {
                first = o;
            } else if (!first.sameAs(o)) {
                throw new AssertionError("decoders disagree on " + context + "\n  " + providers.get(0).name()
                        + ": " + first + "\n  " + name + ": " + o + "\n  bytes: " + ConformanceProperties.hex(bytes));
            }
        }
        return first;
    }

    /** Decodes {@code bytes} with every decoder and fails unless all decode it, alike. */
    PgOutputMessage assertSameMessage(byte[] bytes, SplittableRandom shapes, long lsn, String context) {
        Outcome o = assertSameOutcome(bytes, shapes, lsn, context);
        if (o.failed()) {
            throw new AssertionError(context + " must decode: " + o + "\n  bytes: " + ConformanceProperties.hex(bytes),
                    o.error());
        }
        return o.message();
    }
}
