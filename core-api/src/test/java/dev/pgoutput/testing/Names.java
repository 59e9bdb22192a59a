package dev.pgoutput.testing;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Generates the names a server can send (schemas, tables, columns, types, origins, prefixes, gids) and
 * the awkward ones that break naive decoders: empty, mixed case with quotes and spaces, multi-byte and
 * supplementary UTF-8, exactly {@code NAMEDATALEN - 1} = 63 bytes, and longer than that (the server
 * truncates identifiers, but gids and message prefixes are not identifiers, and a decoder must not
 * assume the limit). Never a NUL: the wire format cannot carry one in a string.
 */
public final class Names {

    /** {@code NAMEDATALEN - 1}: the longest identifier the server keeps. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    private static final String[] WORDS = {"public", "users", "orders", "id", "name", "created_at", "tbl", "x"};
    private static final String[] ODD = {"My Table", "a\"b", "select", "tåble", "näme", "日本語", "Ωmega",
        "emoji😀", "e\u0301", "tab\tname", "new\nline", "ß", "\u00a0", "Ä".repeat(31)};

    private Names() {
    }

    /** A name of any of the kinds above. */
    public static String any(SplittableRandom random) {
        int pick = random.nextInt(100);
        if (pick < 45) {
            return WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : "_" + random.nextInt(1000));
        }
        if (pick < 60) {
            return ODD[random.nextInt(ODD.length)];
        }
        if (pick < 70) {
            return exactBytes(random, MAX_IDENTIFIER_BYTES);
        }
        if (pick < 75) {
            return exactBytes(random, MAX_IDENTIFIER_BYTES + 1 + random.nextInt(300));
        }
        if (pick < 80) {
            return "";
        }
        return randomUnicode(random, 1 + random.nextInt(20));
    }

    /** A schema name: empty (the server's spelling of pg_catalog) more often than other names. */
    public static String namespace(SplittableRandom random) {
        return random.nextInt(8) == 0 ? "" : any(random);
    }

    /**
     * A string of exactly {@code bytes} UTF-8 bytes, sometimes with multi-byte characters so that the
     * byte count and the char count differ.
     */
    public static String exactBytes(SplittableRandom random, int bytes) {
        StringBuilder sb = new StringBuilder();
        int used = 0;
        boolean multiByte = random.nextBoolean();
        while (used < bytes) {
            int left = bytes - used;
            int cp;
            if (multiByte && left >= 4 && random.nextInt(3) == 0) {
                cp = 0x1F600 + random.nextInt(0x40);       // 4 bytes
            } else if (multiByte && left >= 2 && random.nextInt(3) == 0) {
                cp = 0xE0 + random.nextInt(0x20);          // 2 bytes
            } else {
                cp = 'a' + random.nextInt(26);
            }
            sb.appendCodePoint(cp);
            used += utf8Length(cp);
        }
        return sb.toString();
    }

    /** Random code points from the whole Unicode range except NUL and the surrogates (not encodable). */
    public static String randomUnicode(SplittableRandom random, int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp;
            do {
                cp = switch (random.nextInt(4)) {
                    case 0 -> 1 + random.nextInt(0x7F);
                    case 1 -> 0x80 + random.nextInt(0x800 - 0x80);
                    case 2 -> 0x800 + random.nextInt(0x10000 - 0x800);
                    default -> 0x10000 + random.nextInt(0x110000 - 0x10000);
                };
            } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
}
