package dev.pgoutput.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The text form of arrays: {@code {1,2,NULL}}, {@code {"a b","x\"y"}}, nested braces for more
 * dimensions, and an optional bounds decoration such as {@code [0:1]={7,8}} (the bounds are dropped:
 * the result is a list of the elements in order). Elements are converted with the element type's text
 * conversion; an unquoted {@code NULL} is a null element. Elements are separated by the element type's
 * delimiter ({@code ;} for {@code box}).
 */
final class ArrayText {

    private ArrayText() {
    }

    static List<Object> parse(ValueType element, char delimiter, String text) {
        int start = 0;
        if (text.startsWith("[")) {
            int eq = text.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("array bounds without '='");
            }
            start = eq + 1;
        }
        Parser p = new Parser(element, delimiter, text, start);
        List<Object> result = p.array();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("junk after array at offset " + p.pos);
        }
        return result;
    }

    private static final class Parser {
        private final ValueType element;
        private final char delimiter;
        private final String s;
        private int pos;

        Parser(ValueType element, char delimiter, String s, int pos) {
            this.element = element;
            this.delimiter = delimiter;
            this.s = s;
            this.pos = pos;
        }

        List<Object> array() {
            expect('{');
            List<Object> items = new ArrayList<>();
            if (peek() == '}') {
                pos++;
                return Collections.unmodifiableList(items);
            }
            while (true) {
                char c = peek();
                if (c == '{') {
                    items.add(array());
                } else if (c == '"') {
                    items.add(ValueDecoder.fromText(element, quoted()));
                } else {
                    String raw = unquoted();
                    items.add(raw.equalsIgnoreCase("NULL") ? null : ValueDecoder.fromText(element, raw));
                }
                char next = peek();
                pos++;
                if (next == '}') {
                    return Collections.unmodifiableList(items);
                }
                if (next != delimiter) {
                    throw new IllegalArgumentException("expected '" + delimiter + "' or '}' at offset " + (pos - 1));
                }
            }
        }

        private String quoted() {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    c = next();
                }
                sb.append(c);
            }
        }

        private String unquoted() {
            int from = pos;
            while (pos < s.length() && s.charAt(pos) != delimiter && s.charAt(pos) != '}') {
                pos++;
            }
            if (pos == from) {
                throw new IllegalArgumentException("empty array element at offset " + from);
            }
            return s.substring(from, pos);
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at offset " + (pos - 1));
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unterminated array");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }
    }
}
