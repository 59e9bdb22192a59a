package dev.pgoutput.cli;

import dev.pgoutput.api.ReaderMetrics;
import java.io.PrintStream;

/**
 * A one-line live status on stderr (events, rate, lag, position, a running snapshot's progress), redrawn
 * at most twice a second, and only when stderr is a terminal: piped, it stays silent.
 */
final class StatusLine {

    private final PrintStream err;
    private final boolean terminal;
    private long lastNanos;

    private StatusLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A status line on stderr if the process has a terminal. */
    static StatusLine onTerminal() {
        return new StatusLine(System.err, System.console() != null);
    }

    /** Shows the figures; {@code last} ends the line. */
    void show(ReaderMetrics m, boolean last) {
        if (!terminal) {
            return;
        }
        long now = System.nanoTime();
        if (!last && now - lastNanos < 500_000_000L) {
            return;
        }
        lastNanos = now;
        StringBuilder line = new StringBuilder("\r\033[K").append(m.eventsDelivered()).append(" events, ")
                .append(Math.round(m.eventsPerSecond())).append("/s, lag ").append(m.lagBytes()).append(" B, at ")
                .append(lsn(m.confirmedLsn()));
        ReaderMetrics.Snapshot s = m.snapshot();
        if (s != null) {
            line.append(", snapshot ").append(s.kind()).append(' ').append(s.rowsDone());
            if (s.rowsEstimated() > 0) {
                line.append(" of ~").append(s.rowsEstimated());
            }
            line.append(" rows");
        }
        err.print(line);
        if (last) {
            err.println();
        }
        err.flush();
    }

    static String lsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFF_FFFFL).toUpperCase();
    }
}
