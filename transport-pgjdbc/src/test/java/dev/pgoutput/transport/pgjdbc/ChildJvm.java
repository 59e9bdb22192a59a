package dev.pgoutput.transport.pgjdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A program run in a JVM of its own with this test's class path, for what must not share the test's
 * JVM: a small heap, a SIGKILL. Its output (stdout and stderr) is read line by line as it comes, since
 * a child whose output nobody reads stops once the pipe is full.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread output;

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new Thread(this::collect, "child-output");
        this.output.start();
    }

    /** Starts {@code main} with the given JVM options and program arguments. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("READ FAILED " + e);
        }
    }

    /** The lines printed so far. */
    public List<String> lines() {
        return lines;
    }

    /** Everything printed so far, one line after another. */
    public String output() {
        return String.join("\n", lines);
    }

    /** The exit code of the program, which has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** The last {@code n} lines printed so far, for failure messages. */
    public List<String> tail(int n) {
        List<String> all = new ArrayList<>(lines);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the program to end; true when it did. */
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    /**
     * SIGKILL on Linux: no shutdown hook, no {@code close()} in the child. Sent through the process
     * handle because {@link Process#destroyForcibly()} also closes our end of the pipe, which loses
     * whatever the child printed that was not read yet.
     */
    public void kill() {
        process.toHandle().destroyForcibly();
    }

    /** Kills the program if it still runs and waits until all of its output was read. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        output.join(10_000);
    }
}
