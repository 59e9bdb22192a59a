package dev.pgoutput.conformance;

import static dev.pgoutput.testing.PgOutputBytes.b;
import static dev.pgoutput.testing.PgOutputBytes.n;
import static dev.pgoutput.testing.PgOutputBytes.t;
import static dev.pgoutput.testing.PgOutputBytes.tRaw;
import static dev.pgoutput.testing.PgOutputBytes.u;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pgoutput.testing.PgOutputBytes;
import dev.pgoutput.testing.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Valid messages of every type decode to equal results through every kind of buffer. */
class WellFormedDuelTest {

    static Stream<Arguments> samplesAndInputs() {
        List<Arguments> all = new ArrayList<>();
        for (Samples.Sample sample : Samples.all()) {
            for (BufferShape input : BufferShape.values()) {
                all.add(Arguments.of(sample, input));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("samplesAndInputs")
    void everySampleDecodesTheSame(Samples.Sample sample, BufferShape input) {
        Outcome outcome = Duel.preparedFor(sample).assertSameOutcome(sample.bytes(), input);
        assertFalse(outcome.failed(), () -> sample + " must be valid: " + outcome);
    }

    @Test
    void valuesOfEveryKindAndSize() {
        Duel duel = Duel.ofSupported();
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        byte[][] messages = {
            PgOutputBytes.insert(1).tuple(t(""), b(), n(), u(), tRaw(new byte[] {(byte) 0xFF, 0}), t("ünïcødé")).bytes(),
            PgOutputBytes.insert(-1).tuple(new PgOutputBytes.Column('b', big)).bytes(),
            PgOutputBytes.update(0x7FFF_FFFF).oldRow(n(), n()).newTuple(u(), u()).bytes(),
            PgOutputBytes.delete(Integer.MIN_VALUE).oldKey().bytes(),
            PgOutputBytes.message('T').int32(0).int8(0xFF).bytes(),
            PgOutputBytes.message('M').int8(0xFE).int64(-1).string("").int32(0).bytes(),
            PgOutputBytes.message('M').int8(0xFF).int64(Long.MIN_VALUE).string("日本").int32(big.length).raw(big).bytes(),
            PgOutputBytes.commit(0xFF, -1, Long.MIN_VALUE, Long.MAX_VALUE).bytes(),
            PgOutputBytes.message('S').int32(7).int8(0).bytes(),
            PgOutputBytes.message('S').int32(7).int8(2).bytes(),
            PgOutputBytes.message('E').bytes(),
            PgOutputBytes.relation(5, "sch\u00e9ma", "\uD83D\uDE00", 0xFF, 0).bytes(),
        };
        for (BufferShape input : BufferShape.values()) {
            for (byte[] message : messages) {
                assertFalse(duel.assertSameOutcome(message, input).failed());
            }
        }
    }

    @Test
    void wideRelationAndTuple() {
        int columns = 0xFFFF;
        PgOutputBytes relation = PgOutputBytes.relation(9, "public", "wide", 'f', columns);
        PgOutputBytes.Column[] values = new PgOutputBytes.Column[columns];
        for (int i = 0; i < columns; i++) {
            relation.column(i & 1, "c" + i, 23, -1);
            values[i] = (i % 3 == 0) ? n() : t(Integer.toString(i));
        }
        Duel duel = Duel.ofSupported();
        assertFalse(duel.assertSameOutcome(relation.bytes(), BufferShape.EXACT).failed());
        assertFalse(duel.assertSameOutcome(PgOutputBytes.insert(9).tuple(values).bytes(), BufferShape.DIRECT_WINDOW).failed());
    }
}
