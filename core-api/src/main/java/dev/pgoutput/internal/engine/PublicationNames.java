package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import java.util.List;

/**
 * Builds the {@code publication_names} option. Every name is double-quoted (so commas, spaces and mixed
 * case survive the server's identifier-list parsing), and characters that could leave the option's
 * quoting are refused: the option text is pasted into START_REPLICATION by the driver without escaping.
 */
public final class PublicationNames {

    private PublicationNames() {
    }

    /**
     * Checks one publication name.
     *
     * @throws ConfigurationException when the name is empty, too long or holds a quote, backslash or NUL
     */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new ConfigurationException("publication name must not be empty");
        }
        if (name.length() > 63) {
            throw new ConfigurationException("publication name is longer than 63 characters: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\'' || c == '\\' || c == '\0' || c < 0x20) {
                throw new ConfigurationException("publication name " + name
                        + " contains a quote, backslash or control character, which this library refuses");
            }
        }
    }

    static String quote(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            validate(name);
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append('"').append(name.replace("\"", "\"\"")).append('"');
        }
        return sb.toString();
    }
}
