package dev.pgoutput.types;

import java.nio.charset.StandardCharsets;

/**
 * {@code tsvector} and {@code tsquery} binary forms, turned into the text PostgreSQL's output functions
 * write, so that both tuple formats give the same {@link String}.
 */
final class TextSearchBinary {

    private static final int QI_VAL = 1;
    private static final int OP_NOT = 1;
    private static final int OP_AND = 2;
    private static final int OP_OR = 3;
    private static final int OP_PHRASE = 4;

    private TextSearchBinary() {
    }

    /**
     * tsvector: Int32 lexeme count; per lexeme the text and a zero byte, Int16 position count, and Int16
     * positions (weight in the top two bits). Text: {@code 'lexeme':1A,2 'other'}.
     */
    static String tsvector(byte[] b, int off, int len) {
        int end = off + len;
        int n = BinaryValues.int32(b, off);
        int pos = off + 4;
        StringBuilder sb = new StringBuilder(len + n * 4);
        for (int i = 0; i < n; i++) {
            int zero = zero(b, pos, end);
            if (i > 0) {
                sb.append(' ');
            }
            quote(sb, new String(b, pos, zero - pos, StandardCharsets.UTF_8));
            pos = zero + 1;
            check(pos + 2, end);
            int npos = BinaryValues.int16(b, pos) & 0xFFFF;
            pos += 2;
            check(pos + 2 * npos, end);
            for (int j = 0; j < npos; j++) {
                int wp = BinaryValues.int16(b, pos) & 0xFFFF;
                pos += 2;
                sb.append(j == 0 ? ':' : ',').append(wp & 0x3FFF);
                switch (wp >>> 14) {
                    case 3 -> sb.append('A');
                    case 2 -> sb.append('B');
                    case 1 -> sb.append('C');
                    default -> {
                    }
                }
            }
        }
        if (pos != end) {
            throw new IllegalArgumentException("junk after tsvector");
        }
        return sb.toString();
    }

    /**
     * tsquery: Int32 item count, then the items in prefix order: operands ({@code 1}, Int8 weight bits,
     * Int8 prefix flag, zero-terminated text) and operators ({@code 2}, Int8 operator, Int16 distance for
     * the phrase operator). Text is written as PostgreSQL's {@code tsqueryout} does, with its parentheses.
     */
    static String tsquery(byte[] b, int off, int len) {
        int n = BinaryValues.int32(b, off);
        if (n == 0) {
            return "";
        }
        Query q = new Query(b, off + 4, off + len);
        StringBuilder sb = new StringBuilder(len * 2);
        q.infix(sb, -1, false);
        if (q.pos != off + len) {
            throw new IllegalArgumentException("junk after tsquery");
        }
        return sb.toString();
    }

    private static final class Query {
        private final byte[] b;
        private final int end;
        private int pos;
        private int depth;

        Query(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        private static int priority(int op) {
            return switch (op) {
                case OP_NOT -> 4;
                case OP_PHRASE -> 3;
                case OP_AND -> 2;
                case OP_OR -> 1;
                default -> throw new IllegalArgumentException("unknown tsquery operator " + op);
            };
        }

        void infix(StringBuilder out, int parentPriority, boolean rightPhraseOp) {
            if (++depth > 1000) {
                throw new IllegalArgumentException("tsquery too deep");
            }
            check(pos + 1, end);
            int type = b[pos++];
            if (type == QI_VAL) {
                check(pos + 2, end);
                int weight = b[pos++];
                boolean prefix = b[pos++] != 0;
                int zero = zero(b, pos, end);
                quote(out, new String(b, pos, zero - pos, StandardCharsets.UTF_8));
                pos = zero + 1;
                if (weight != 0 || prefix) {
                    out.append(':');
                    if (prefix) {
                        out.append('*');
                    }
                    if ((weight & 8) != 0) {
                        out.append('A');
                    }
                    if ((weight & 4) != 0) {
                        out.append('B');
                    }
                    if ((weight & 2) != 0) {
                        out.append('C');
                    }
                    if ((weight & 1) != 0) {
                        out.append('D');
                    }
                }
            } else {
                check(pos + 1, end);
                int op = b[pos++];
                int distance = 1;
                if (op == OP_PHRASE) {
                    check(pos + 2, end);
                    distance = BinaryValues.int16(b, pos);
                    pos += 2;
                }
                int priority = priority(op);
                if (op == OP_NOT) {
                    boolean paren = priority < parentPriority;
                    if (paren) {
                        out.append("( ");
                    }
                    out.append('!');
                    infix(out, priority, false);
                    if (paren) {
                        out.append(" )");
                    }
                } else {
                    boolean paren = priority < parentPriority || (op == OP_PHRASE && rightPhraseOp);
                    if (paren) {
                        out.append("( ");
                    }
                    // Prefix order stores the right operand first.
                    StringBuilder right = new StringBuilder();
                    infix(right, priority, op == OP_PHRASE);
                    infix(out, priority, false);
                    switch (op) {
                        case OP_OR -> out.append(" | ");
                        case OP_AND -> out.append(" & ");
                        default -> out.append(distance == 1 ? " <-> " : " <" + distance + "> ");
                    }
                    out.append(right);
                    if (paren) {
                        out.append(" )");
                    }
                }
            }
            depth--;
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') {
                sb.append(c);
            }
            sb.append(c);
        }
        sb.append('\'');
    }

    private static int zero(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string");
    }

    private static void check(int needed, int end) {
        if (needed > end) {
            throw new IllegalArgumentException("truncated value");
        }
    }
}
