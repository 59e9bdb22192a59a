package dev.pgoutput.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running postmaster. It is started directly (not through {@code pg_ctl start}) so that the
 * JVM holds its process handle: a server that dies during start-up is noticed at once, and one
 * that will not stop can be killed.
 */
final class ServerProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private final Process process;
    private final PostgresInstallation installation;
    private final ServerAccount account;
    private final Path workDirectory;
    private final Path dataDirectory;

    private ServerProcess(
            Process process,
            PostgresInstallation installation,
            ServerAccount account,
            Path workDirectory,
            Path dataDirectory) {
        this.process = process;
        this.installation = installation;
        this.account = account;
        this.workDirectory = workDirectory;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts {@code postgres} and waits until it accepts connections.
     *
     * @throws PostgresStartException if it exits or is not ready within {@code timeout}; the
     *     message holds what the server logged during this attempt
     */
    static ServerProcess start(
            PostgresInstallation installation,
            ServerAccount account,
            Path workDirectory,
            Path dataDirectory,
            int port,
            Map<String, String> settings,
            ServerLog log,
            Duration timeout) {
        List<String> command = new ArrayList<>();
        command.add(installation.tool("postgres").toString());
        command.add("-D");
        command.add(dataDirectory.toString());
        command.add("-p");
        command.add(Integer.toString(port));
        settings.forEach(
                (name, value) -> {
                    command.add("-c");
                    command.add(name + "=" + value);
                });
        ProcessBuilder builder = account.processBuilder(command, workDirectory);
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.file().toFile()));
        long logOffset = log.size();
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new PostgresStartException("Cannot run " + command + ": " + e.getMessage(), e);
        }
        ServerProcess server =
                new ServerProcess(process, installation, account, workDirectory, dataDirectory);
        server.awaitReady(timeout, log, logOffset);
        return server;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    private void awaitReady(Duration timeout, ServerLog log, long logOffset) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (!process.isAlive()) {
                    throw new PostgresStartException(
                            "PostgreSQL " + installation.version().major() + " exited with code "
                                    + process.exitValue() + " during start-up\n" + log.tail(logOffset));
                }
                if (isReady()) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    kill();
                    throw new PostgresStartException(
                            "PostgreSQL " + installation.version().major() + " was not ready within " + timeout
                                    + "\n" + log.tail(logOffset));
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new PostgresStartException("Interrupted while waiting for PostgreSQL to start", e);
        }
    }

    /**
     * The postmaster writes its status into line 8 of {@code postmaster.pid} and sets it to
     * "ready" once it accepts connections; {@code pg_ctl start -w} waits for the same thing.
     * Checking the PID in line 1 ignores a file left behind by an earlier run.
     */
    private boolean isReady() {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            return lines.size() >= 8
                    && lines.get(0).trim().equals(Long.toString(process.pid()))
                    && lines.get(7).trim().equals("ready");
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            // Read while the postmaster was rewriting it; look again on the next poll.
            return false;
        }
    }

    /**
     * Stops the server with a fast shutdown (open sessions and replication connections are cut),
     * as {@code pg_ctl stop -m fast -w} run by the server account; kills it if that fails.
     */
    void stop(Duration timeout) {
        stop(timeout, ShutdownMode.FAST);
    }

    /** Stops the server with the given shutdown mode; kills it if that fails. */
    void stop(Duration timeout, ShutdownMode mode) {
        if (!process.isAlive()) {
            return;
        }
        List<String> command =
                List.of(
                        installation.tool("pg_ctl").toString(),
                        "stop",
                        "-D",
                        dataDirectory.toString(),
                        "-m",
                        mode.pgCtlName(),
                        "-w",
                        "-t",
                        Long.toString(Math.max(1, timeout.toSeconds())));
        try {
            int exit =
                    ToolRun.logged(
                            account.processBuilder(command, workDirectory),
                            workDirectory.resolve("pg_ctl.log"),
                            timeout.plusSeconds(5));
            // A non-zero exit is expected when the server is already going, for example after a
            // Ctrl-C that reached the whole process group; only a server that stays up matters.
            LOG.debug("pg_ctl stop exited with {}", exit);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("PostgreSQL (pid {}) did not stop within {}; killing it", pid(), timeout);
            }
        } catch (IOException e) {
            LOG.warn("pg_ctl stop failed; killing PostgreSQL (pid {})", pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (process.isAlive()) {
                kill();
            }
        }
    }

    /** Kills the postmaster and its backends at once, leaving the data directory as it is. */
    void kill() {
        // Backends would exit by themselves once they notice the postmaster is gone, but only
        // after a while; killing them first frees the port and shared memory now.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
