package dev.pgoutput.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pgoutput} launcher in a real terminal (a detached tmux session, whose screen is read back with
 * {@code capture-pane}), with stdout redirected to a file as in {@code pgoutput tail > events.jsonl}: the live
 * status line and the snapshot's progress bar are drawn on the terminal, the JSON lines go to the file, and
 * Ctrl-C (sent as keys) stops {@code tail} cleanly with its summary. Skipped, saying so, where tmux is missing.
 */
class CliTerminalIT {

    private static EmbeddedPostgres server;
    private static final String TMUX_SOCKET = "pgoutput-cli-it-" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(run("tmux", "-V") == 0, "tmux is not installed");
        server = EmbeddedPostgres.builder().version(17).start();
        execute("CREATE TABLE t (id int PRIMARY KEY, pad text)", "CREATE PUBLICATION t_pub FOR TABLE t",
                "SELECT pg_create_logical_replication_slot('t_slot', 'pgoutput')");
    }

    @AfterAll
    static void stop() throws Exception {
        run("tmux", "-L", TMUX_SOCKET, "kill-server");
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tailDrawsItsStatusLineAndStopsOnCtrlC() throws Exception {
        Path out = dir.resolve("events.jsonl");
        Path status = dir.resolve("status");
        String session = "tail";
        open(session, launcher("tail", "--publication", "t_pub", "--slot", "t_slot") + " > " + out + "; echo $? > "
                + status);
        execute("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 200) g");
        String screen = awaitScreen(session, s -> s.contains("200 events,"));
        assertTrue(screen.matches("(?s).*200 events, \\d+/s, lag \\d+ B, at [0-9A-F]+/[0-9A-F]+.*"), screen);

        run("tmux", "-L", TMUX_SOCKET, "send-keys", "-t", session, "C-c");
        awaitFile(status);
        assertEquals("0", Files.readString(status).trim(), "Ctrl-C is a clean stop");
        String after = capture(session);
        assertTrue(after.contains("pgoutput tail: 200 events in"), "the summary: " + after);
        List<String> lines = Files.readAllLines(out);
        assertEquals(200, lines.size(), "every event went to the file, none to the terminal");
        assertTrue(lines.get(0).startsWith("{") && lines.get(0).contains("\"op\":\"c\""), lines.get(0));
    }

    @Test
    void snapshotDrawsAProgressBar() throws Exception {
        execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('p', 200) FROM generate_series(1, 500000) g", "ANALYZE big",
                "CREATE PUBLICATION big_pub FOR TABLE big");
        Path out = dir.resolve("rows.jsonl");
        Path status = dir.resolve("status");
        String session = "snapshot";
        open(session, launcher("snapshot", "--publication", "big_pub") + " > " + out + "; echo $? > " + status);
        String screen = awaitScreen(session, s -> s.matches("(?s).*\\[#*-*] \\d+% \\d+ of ~500000 rows.*"));
        assertTrue(screen.matches("(?s).*snapshot initial \\[[#-]{30}] \\d+% \\d+ of ~500000 rows, \\d+ rows/s.*"),
                screen);
        awaitFile(status);
        assertEquals("0", Files.readString(status).trim());
        assertEquals(500000, Files.readAllLines(out).size());
        assertTrue(capture(session).contains("pgoutput snapshot: 500000 rows in"), capture(session));
    }

    /** The launcher script, with this build's Java, and the connection options. */
    private static String launcher(String... args) {
        Path script = Path.of("src", "main", "scripts", "pgoutput").toAbsolutePath();
        List<String> words = new ArrayList<>(List.of("JAVA_HOME=" + System.getProperty("java.home"), "sh",
                script.toString()));
        words.addAll(List.of(args));
        words.addAll(List.of("--host", server.host(), "--port", Integer.toString(server.port()), "--database",
                server.database(), "--user", server.user(), "--password", server.password()));
        return String.join(" ", words);
    }

    /**
     * A detached session of 160 × 20 running {@code command} in sh; it stays open after the command ends. The
     * shell traps Ctrl-C (a handler, not "ignore", which the command would inherit) so that it goes on to record
     * the command's status.
     */
    private static void open(String session, String command) throws Exception {
        assertEquals(0, run("tmux", "-L", TMUX_SOCKET, "new-session", "-d", "-s", session, "-x", "160", "-y", "20",
                "sh -c 'trap true INT; " + command + "; sleep 600'"));
    }

    private static String awaitScreen(String session, Predicate<String> shown) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture(session);
            if (shown.test(screen)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not on the screen within 60 s:\n" + screen);
    }

    private static void awaitFile(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(file) && !Files.readString(file).isBlank())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " was not written within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static String capture(String session) throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", TMUX_SOCKET, "capture-pane", "-p", "-t", session)
                .redirectErrorStream(true).start();
        String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return screen;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static void execute(String... sql) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }
}
