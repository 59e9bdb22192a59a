package dev.pgoutput.cli;

import dev.pgoutput.api.ReaderMetrics;
import dev.pgoutput.protocol.Lsn;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-line live status on stderr (events, rate, lag, position; for a running snapshot a progress bar with
 * rows done of the estimate, rate and ETA), redrawn at most twice a second, and only when stderr is a terminal:
 * piped or redirected, it stays silent. Stdout does not matter: {@code pgoutput tail | jq} still shows it.
 */
final class StatusLine {

    private final PrintStream err;
    private final boolean terminal;
    private long lastNanos;

    private StatusLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A status line on stderr if stderr is a terminal. */
    static StatusLine onTerminal() {
        return new StatusLine(System.err, stderrIsTerminal());
    }

    /**
     * Whether file descriptor 2 is a terminal. Java can only tell whether stdin and stdout both are ({@code
     * System.console()}), which is false as soon as the output goes to a pipe; on Linux the descriptor's link
     * under /proc says it directly.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
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
        err.print("\r\033[K" + text(m));
        if (last) {
            err.println();
        }
        err.flush();
    }

    /** The line's text. */
    static String text(ReaderMetrics m) {
        ReaderMetrics.Snapshot s = m.snapshot();
        if (s != null) {
            return "snapshot " + s.kind() + " " + progress(s.rowsDone(), s.rowsEstimated(), s.rowsPerSecond());
        }
        return m.eventsDelivered() + " events, " + Math.round(m.eventsPerSecond()) + "/s, lag " + m.lagBytes()
                + " B, at " + Lsn.format(m.confirmedLsn());
    }

    /**
     * A progress bar for {@code done} of about {@code estimated} rows at {@code rate} rows/s: {@code [#####-----]
     * 50% 500 of ~1000 rows, 250 rows/s, ETA 2 s}. The estimate comes from the planner's statistics, so it may be
     * passed; the bar then stays full at "99%" until the copy ends.
     */
    static String progress(long done, long estimated, double rate) {
        if (estimated <= 0) {
            return done + " rows, " + Math.round(rate) + " rows/s";
        }
        int percent = (int) Math.min(99, done * 100 / estimated);
        int width = 30;
        int filled = percent * width / 100;
        String eta = rate > 0 && done < estimated
                ? ", ETA " + Math.max(1, Math.round((estimated - done) / rate)) + " s" : "";
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + percent + "% " + done + " of ~"
                + estimated + " rows, " + Math.round(rate) + " rows/s" + eta;
    }
}
