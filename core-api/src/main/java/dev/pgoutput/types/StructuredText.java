package dev.pgoutput.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text forms that nest other values: composites {@code (1,"a b",)}, ranges {@code [1,10)}, multiranges
 * {@code {[1,3),[5,7)}} and {@code hstore} {@code "a"=>"1", "b"=>NULL}. Items may be double-quoted; inside
 * quotes {@code ""} and a backslash escape the next character (for composites and ranges a backslash escapes
 * outside quotes too).
 */
final class StructuredText {

    private StructuredText() {
    }

    static Map<String, Object> composite(ValueType type, String s) {
        if (s.length() < 2 || s.charAt(0) != '(' || s.charAt(s.length() - 1) != ')') {
            throw new IllegalArgumentException("composite must be in parentheses");
        }
        List<String> items = items(s, 1, s.length() - 1, ',');
        if (items.size() != type.fieldNames().size()) {
            throw new IllegalArgumentException("expected " + type.fieldNames().size() + " attributes, found "
                    + items.size());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String item = items.get(i);
            out.put(type.fieldNames().get(i), item == null ? null : ValueDecoder.fromText(type.fieldTypes().get(i), item));
        }
        return Collections.unmodifiableMap(out);
    }

    static PgRange<Object> range(ValueType subtype, String s) {
        if (s.equals("empty")) {
            return PgRange.emptyRange();
        }
        char open = s.charAt(0);
        char close = s.charAt(s.length() - 1);
        if ((open != '[' && open != '(') || (close != ']' && close != ')')) {
            throw new IllegalArgumentException("range must be in brackets");
        }
        List<String> bounds = items(s, 1, s.length() - 1, ',');
        if (bounds.size() != 2) {
            throw new IllegalArgumentException("range needs two bounds");
        }
        Object lower = bounds.get(0) == null ? null : ValueDecoder.fromText(subtype, bounds.get(0));
        Object upper = bounds.get(1) == null ? null : ValueDecoder.fromText(subtype, bounds.get(1));
        return new PgRange<>(lower, upper, open == '[', close == ']', false);
    }

    static List<PgRange<Object>> multirange(ValueType range, String s) {
        if (s.length() < 2 || s.charAt(0) != '{' || s.charAt(s.length() - 1) != '}') {
            throw new IllegalArgumentException("multirange must be in braces");
        }
        List<PgRange<Object>> out = new ArrayList<>();
        int i = 1;
        int end = s.length() - 1;
        while (i < end) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ') {
                i++;
                continue;
            }
            int start = i;
            if (s.startsWith("empty", i)) {
                i += 5;
            } else {
                boolean quoted = false;
                while (i < end) {
                    char d = s.charAt(i);
                    if (d == '\\' && quoted) {
                        i += 2;
                        continue;
                    }
                    if (d == '"') {
                        quoted = !quoted;
                    } else if (!quoted && (d == ']' || d == ')') && i > start) {
                        i++;
                        break;
                    }
                    i++;
                }
            }
            out.add(range(range.element(), s.substring(start, i)));
        }
        return Collections.unmodifiableList(out);
    }

    static Map<String, String> hstore(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {0};
        int len = s.length();
        while (true) {
            skipSpaces(s, pos);
            if (pos[0] >= len) {
                break;
            }
            String key = hstoreItem(s, pos);
            skipSpaces(s, pos);
            if (!s.startsWith("=>", pos[0])) {
                throw new IllegalArgumentException("expected => at offset " + pos[0]);
            }
            pos[0] += 2;
            skipSpaces(s, pos);
            boolean quoted = pos[0] < len && s.charAt(pos[0]) == '"';
            String value = hstoreItem(s, pos);
            out.put(key, !quoted && value.equalsIgnoreCase("NULL") ? null : value);
            skipSpaces(s, pos);
            if (pos[0] < len) {
                if (s.charAt(pos[0]) != ',') {
                    throw new IllegalArgumentException("expected , at offset " + pos[0]);
                }
                pos[0]++;
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static void skipSpaces(String s, int[] pos) {
        while (pos[0] < s.length() && Character.isWhitespace(s.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static String hstoreItem(String s, int[] pos) {
        StringBuilder sb = new StringBuilder();
        int i = pos[0];
        if (i < s.length() && s.charAt(i) == '"') {
            i++;
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated quote");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                sb.append(c);
            }
        } else {
            while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                sb.append(s.charAt(i++));
            }
        }
        pos[0] = i;
        return sb.toString();
    }

    /**
     * Splits {@code s[from, to)} at unquoted delimiters. An item that is empty and unquoted is {@code null}
     * (a NULL attribute, an unbounded range end); a quoted empty item is {@code ""}.
     */
    private static List<String> items(String s, int from, int to, char delimiter) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        boolean sawQuote = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
                sb.append(s.charAt(++i));
            } else if (c == '"') {
                if (quoted && i + 1 < to && s.charAt(i + 1) == '"') {
                    sb.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                    sawQuote = true;
                }
            } else if (c == delimiter && !quoted) {
                out.add(sb.length() == 0 && !sawQuote ? null : sb.toString());
                sb.setLength(0);
                sawQuote = false;
            } else {
                sb.append(c);
            }
        }
        out.add(sb.length() == 0 && !sawQuote ? null : sb.toString());
        return out;
    }
}
