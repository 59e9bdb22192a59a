package dev.pgoutput.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The lines a child process prints, collected as they come by a daemon thread (a child whose output nobody
 * reads stops once the pipe is full).
 */
final class ChildOutput {

    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ChildOutput(Process child) {
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("READ FAILED " + e);
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts collecting what {@code child} prints (stdout, and stderr when redirected into it). */
    static ChildOutput of(Process child) {
        return new ChildOutput(child);
    }

    /** Waits until the child's output ended (it exited) and everything was read. */
    void awaitEnd() throws InterruptedException {
        reader.join(10_000);
    }
}
