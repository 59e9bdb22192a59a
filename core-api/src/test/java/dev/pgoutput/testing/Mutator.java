package dev.pgoutput.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a valid message into a malformed or merely different one: cuts, bit flips, byte overwrites,
 * insertions and deletions, extreme values written over the count and length fields the encoder
 * recorded (0x7fffffff, 0xffff, negatives: the values that make a careless decoder allocate gigabytes or
 * loop forever), a swapped type byte (the body read as another message), lost NUL terminators, a NUL or
 * one byte of a two-byte UTF-8 character written anywhere (names cut short or made invalid), trailing
 * garbage, and plain random bytes.
 *
 * <pre>{@code
 * byte[] malformed = Mutator.mutate(new PgOutputEncoder().encode(message), random);
 * byte[] alsoMalformed = Mutator.mutate(PgOutputBytes.insert(1).tuple(t("x")).encoded(), random);
 * }</pre>
 */
public final class Mutator {

    private static final int[] EXTREME_32 = {0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0, 1, 0x0001_0000, 0x00FF_FFFF};
    private static final int[] EXTREME_16 = {0xFFFF, 0x8000, 0x7FFF, 0, 1, 1600, 1601};
    /** Every message type byte of protocol 1-4, and a few that are not. */
    public static final byte[] TYPES = "BCORYIUDTMSEcAbPKrp\u0000Zz\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    private Mutator() {
    }

    /** One to three random mutations of {@code encoded}. */
    public static byte[] mutate(EncodedMessage encoded, SplittableRandom random) {
        byte[] bytes = encoded.bytes().clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            bytes = mutateOnce(bytes, encoded, random);
        }
        return bytes;
    }

    /** A random message type byte followed by random bytes. */
    public static byte[] randomMessage(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(random.nextInt(10) == 0 ? 512 : 48)];
        random.nextBytes(bytes);
        if (bytes.length > 0 && random.nextInt(4) != 0) {
            bytes[0] = TYPES[random.nextInt(TYPES.length)];
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] bytes, EncodedMessage encoded, SplittableRandom random) {
        int n = bytes.length;
        switch (random.nextInt(12)) {
            case 0: // truncate
                return Arrays.copyOf(bytes, random.nextInt(n + 1));
            case 1: // flip one bit
                if (n > 0) {
                    bytes[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                }
                return bytes;
            case 2: // overwrite one byte
                if (n > 0) {
                    bytes[random.nextInt(n)] = (byte) random.nextInt(256);
                }
                return bytes;
            case 3: { // insert bytes
                int at = random.nextInt(n + 1);
                byte[] extra = new byte[1 + random.nextInt(4)];
                random.nextBytes(extra);
                return splice(bytes, at, 0, extra);
            }
            case 4: { // delete bytes
                if (n == 0) {
                    return bytes;
                }
                int at = random.nextInt(n);
                return splice(bytes, at, Math.min(n - at, 1 + random.nextInt(4)), new byte[0]);
            }
            case 5, 6: { // an extreme over a recorded count/length field (if still in range)
                int[] offsets = encoded.sizeFieldOffsets();
                if (offsets.length == 0) {
                    return extremeAnywhere(bytes, random);
                }
                int k = random.nextInt(offsets.length);
                int at = offsets[k];
                if (encoded.sizeFieldWidths()[k] == 2) {
                    putBigEndian(bytes, at, EXTREME_16[random.nextInt(EXTREME_16.length)], 2);
                } else {
                    putBigEndian(bytes, at, EXTREME_32[random.nextInt(EXTREME_32.length)], 4);
                }
                return bytes;
            }
            case 7: // another type byte over the same body
                if (n > 0) {
                    bytes[0] = TYPES[random.nextInt(TYPES.length)];
                }
                return bytes;
            case 8: { // drop a NUL terminator, so a string runs into the next field or off the end
                for (int tries = 0; tries < 4 && n > 1; tries++) {
                    int at = 1 + random.nextInt(n - 1);
                    if (bytes[at] == 0) {
                        bytes[at] = (byte) ('a' + random.nextInt(26));
                        break;
                    }
                }
                return bytes;
            }
            case 9: { // trailing garbage
                byte[] extra = new byte[1 + random.nextInt(17)];
                random.nextBytes(extra);
                return splice(bytes, n, 0, extra);
            }
            case 10: // a NUL or half of a two-byte character anywhere: names cut short or invalid UTF-8
                if (n > 0) {
                    byte[] odd = random.nextBoolean() ? "\u00e9".getBytes(StandardCharsets.UTF_8) : new byte[] {0};
                    bytes[random.nextInt(n)] = odd[random.nextInt(odd.length)];
                }
                return bytes;
            default:
                return extremeAnywhere(bytes, random);
        }
    }

    private static byte[] extremeAnywhere(byte[] bytes, SplittableRandom random) {
        if (bytes.length > 0) {
            putBigEndian(bytes, random.nextInt(bytes.length), EXTREME_32[random.nextInt(EXTREME_32.length)], 4);
        }
        return bytes;
    }

    /** Writes {@code width} big-endian bytes of {@code value} at {@code at}, as far as the array reaches. */
    private static void putBigEndian(byte[] bytes, int at, int value, int width) {
        for (int i = 0; i < width && at + i < bytes.length; i++) {
            bytes[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        byte[] result = new byte[bytes.length - remove + insert.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(insert, 0, result, at, insert.length);
        System.arraycopy(bytes, at + remove, result, at + insert.length, bytes.length - at - remove);
        return result;
    }
}
