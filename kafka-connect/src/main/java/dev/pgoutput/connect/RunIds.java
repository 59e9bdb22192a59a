package dev.pgoutput.connect;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Debezium's {@code __debezium.context.runId}: a new UUID each time a task starts, time-ordered (version 7) as
 * Debezium's are.
 */
final class RunIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    /** A fresh version-7 UUID. */
    static String next() {
        long millis = System.currentTimeMillis();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = (RANDOM.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
