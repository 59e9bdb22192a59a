package dev.pgoutput.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/** The binary send form of {@code numeric}: base-10000 digits with a weight, a sign and a display scale. */
final class NumericBinary {

    private static final int NUMERIC_NEG = 0x4000;
    private static final int NUMERIC_NAN = 0xC000;
    private static final int NUMERIC_PINF = 0xD000;
    private static final int NUMERIC_NINF = 0xF000;
    private static final BigInteger TEN_THOUSAND_POW_4 = BigInteger.valueOf(10_000L * 10_000L * 10_000L * 10_000L);

    private NumericBinary() {
    }

    /**
     * numeric: Int16 ndigits, Int16 weight (of the first digit, in base-10000 places), UInt16 sign, Int16
     * dscale (digits after the point), then ndigits base-10000 digits.
     */
    static Object numeric(byte[] b, int off, int len) {
        if (len < 8) {
            throw new IllegalArgumentException("truncated numeric");
        }
        int ndigits = BinaryValues.int16(b, off);
        int weight = BinaryValues.int16(b, off + 2);
        int sign = BinaryValues.int16(b, off + 4) & 0xFFFF;
        int dscale = BinaryValues.int16(b, off + 6);
        switch (sign) {
            case NUMERIC_NAN -> {
                return Double.NaN;
            }
            case NUMERIC_PINF -> {
                return Double.POSITIVE_INFINITY;
            }
            case NUMERIC_NINF -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        if (ndigits < 0 || len != 8 + 2 * ndigits || dscale < 0) {
            throw new IllegalArgumentException("bad numeric header");
        }
        BigInteger unscaled = BigInteger.ZERO;
        // Accumulate up to 4 base-10000 digits in a long before touching BigInteger.
        long chunk = 0;
        int inChunk = 0;
        for (int i = 0; i < ndigits; i++) {
            int d = BinaryValues.int16(b, off + 8 + 2 * i);
            if (d < 0 || d > 9999) {
                throw new IllegalArgumentException("bad numeric digit");
            }
            chunk = chunk * 10_000 + d;
            if (++inChunk == 4) {
                unscaled = unscaled.multiply(TEN_THOUSAND_POW_4).add(BigInteger.valueOf(chunk));
                chunk = 0;
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            unscaled = unscaled.multiply(BigInteger.TEN.pow(4 * inChunk)).add(BigInteger.valueOf(chunk));
        }
        // The digits stand for unscaled * 10000^(weight - ndigits + 1).
        int scale = 4 * (ndigits - 1 - weight);
        BigDecimal value = new BigDecimal(sign == NUMERIC_NEG ? unscaled.negate() : unscaled, scale);
        return value.setScale(dscale, RoundingMode.UNNECESSARY);
    }
}
