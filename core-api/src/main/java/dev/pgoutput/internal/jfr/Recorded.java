package dev.pgoutput.internal.jfr;

import java.util.function.Supplier;

/** Runs a connection attempt inside a {@link ConnectEvent}, which records it when a recording enables it. */
public final class Recorded {

    private Recorded() {
    }

    /**
     * Runs {@code attempt} and records it.
     *
     * @param slot    the slot
     * @param server  host:port
     * @param kind    {@code start} or {@code reconnect}
     * @param number  the attempt's number, from 1
     * @param attempt what connects
     * @param <T>     what it gives
     * @return what it gave
     */
    public static <T> T connect(String slot, String server, String kind, int number, Supplier<T> attempt) {
        ConnectEvent event = new ConnectEvent();
        event.begin();
        try {
            T result = attempt.get();
            event.succeeded = true;
            return result;
        } catch (RuntimeException e) {
            event.error = e.getMessage();
            throw e;
        } finally {
            event.end();
            if (event.shouldCommit()) {
                event.slot = slot;
                event.server = server;
                event.kind = kind;
                event.attempt = number;
                event.commit();
            }
        }
    }
}
