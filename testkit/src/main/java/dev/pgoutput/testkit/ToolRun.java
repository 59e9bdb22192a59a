package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived PostgreSQL tool ({@code initdb}, {@code pg_ctl}, {@code postgres -V}). */
final class ToolRun {

    private ToolRun() {}

    /** Runs to completion with stdout and stderr appended to {@code log}; returns the exit code. */
    static int logged(ProcessBuilder builder, Path log, Duration timeout)
            throws IOException, InterruptedException {
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = builder.start();
        process.getOutputStream().close();
        return awaitExit(builder, process, timeout);
    }

    /** Runs to completion and returns what it printed; a non-zero exit is an error. */
    static String captured(ProcessBuilder builder, Duration timeout)
            throws IOException, InterruptedException {
        builder.redirectErrorStream(true);
        Process process = builder.start();
        process.getOutputStream().close();
        String output;
        // These tools print a line or two, so reading before waiting cannot fill a pipe and block.
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = awaitExit(builder, process, timeout);
        if (exit != 0) {
            throw new IOException(builder.command() + " exited with " + exit + ": " + output);
        }
        return output;
    }

    private static int awaitExit(ProcessBuilder builder, Process process, Duration timeout)
            throws IOException, InterruptedException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(builder.command() + " did not finish within " + timeout);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
    }
}
