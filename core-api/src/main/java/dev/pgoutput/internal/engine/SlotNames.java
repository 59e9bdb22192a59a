package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ConfigurationException;
import java.util.regex.Pattern;

/** Slot names as PostgreSQL takes them, checked before they are written into a replication command. */
public final class SlotNames {

    private static final Pattern SLOT_NAME = Pattern.compile("[a-z0-9_]{1,63}");

    private SlotNames() {
    }

    /** @throws ConfigurationException naming the rule when {@code name} is not a valid slot name */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new ConfigurationException("slot(...) is required: the name of a logical replication slot "
                    + "created with the pgoutput plugin");
        }
        if (!SLOT_NAME.matcher(name).matches()) {
            throw new ConfigurationException("slot name '" + name + "' is not valid: PostgreSQL slot names use "
                    + "only lower-case letters, digits and underscores, at most 63 characters");
        }
    }
}
