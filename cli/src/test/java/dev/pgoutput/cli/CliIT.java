package dev.pgoutput.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgoutput.testkit.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code pgoutput} command run as a process against a real server: its stdout parsed line by line,
 * its stderr and exit status checked.
 */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedPostgres server;

    @BeforeAll
    static void start() throws Exception {
        server = EmbeddedPostgres.builder().version(17).start();
        execute("CREATE TABLE items (id int PRIMARY KEY, name text)", "CREATE PUBLICATION cli_pub FOR TABLE items");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What one run printed and how it ended. */
    record Run(int status, List<String> out, String err) {
    }

    private static Run pgoutput(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "pgoutput " + String.join(" ", args) + " did not end");
        return new Run(p.exitValue(), out.isEmpty() ? List.of() : List.of(out.split("\n")), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static String[] connection(String... more) {
        List<String> args = new ArrayList<>(List.of("--host", server.host(), "--port", Integer.toString(server.port()),
                "--database", server.database(), "--user", server.user(), "--password", server.password()));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String[] command(String[] head, String... rest) {
        List<String> all = new ArrayList<>(List.of(head));
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    private static void execute(String... sql) throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    @Test
    void tailWritesOneJsonEventPerLineAndAcknowledgesWhatItWrote() throws Exception {
        Run created = pgoutput(command(new String[] {"slot", "create", "tail_slot"}, connection()));
        assertEquals(0, created.status(), created.err());
        execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        Run first = pgoutput(command(new String[] {"tail"}, connection("--publication", "cli_pub", "--slot", "tail_slot",
                "--max-events", "3")));
        assertEquals(0, first.status(), first.err());
        assertEquals(3, first.out().size(), first.out().toString());
        for (int i = 0; i < 3; i++) {
            JsonNode event = JSON.readTree(first.out().get(i));
            assertEquals("c", event.get("op").asText());
            assertEquals(i + 1, event.get("after").get("id").asInt());
        }
        assertTrue(first.err().contains("3 events"), first.err());
        assertFalse(first.err().contains("\033[K"), "no status line when stderr is a pipe: " + first.err());
        execute("INSERT INTO items VALUES (4, 'd')");
        Run second = pgoutput(command(new String[] {"tail"}, connection("--publication", "cli_pub", "--slot", "tail_slot",
                "--max-events", "1")));
        assertEquals(0, second.status(), second.err());
        assertEquals(4, JSON.readTree(second.out().get(0)).get("after").get("id").asInt(),
                "what the first run wrote was acknowledged: the next starts after it");
        Run list = pgoutput(command(new String[] {"slot", "list"}, connection()));
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().stream().anyMatch(l -> l.startsWith("tail_slot ")), list.out().toString());
        Run dropped = pgoutput(command(new String[] {"slot", "drop", "tail_slot"}, connection()));
        assertEquals(0, dropped.status(), dropped.err());
    }

    @Test
    void snapshotCopiesThePublishedTablesAndLeavesNoSlot() throws Exception {
        execute("CREATE TABLE snap (id int PRIMARY KEY)", "INSERT INTO snap SELECT g FROM generate_series(1, 500) g",
                "CREATE PUBLICATION snap_pub FOR TABLE snap");
        Run run = pgoutput(command(new String[] {"snapshot"}, connection("--publication", "snap_pub")));
        assertEquals(0, run.status(), run.err());
        assertEquals(500, run.out().size());
        assertTrue(run.out().stream().allMatch(l -> l.contains("\"op\":\"r\"")), run.out().get(0));
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE 'pgoutput_snapshot_%'")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "the slot made for the copy is gone");
        }
    }

    @Test
    void usageAndSetupErrorsHaveTheirStatusAndSayHowToFix() throws Exception {
        Run unknown = pgoutput("tail", "--no-such-option");
        assertEquals(2, unknown.status(), unknown.err());
        Run noCommand = pgoutput();
        assertEquals(2, noCommand.status(), noCommand.err());
        Run missingSlot = pgoutput(command(new String[] {"tail"}, connection("--publication", "cli_pub", "--slot",
                "no_such_slot", "--max-events", "1")));
        assertEquals(3, missingSlot.status(), missingSlot.err());
        assertTrue(missingSlot.err().contains("fix:") && missingSlot.err().contains("pg_create_logical_replication_slot"),
                missingSlot.err());
        Run wrongPassword = pgoutput("tail", "--host", server.host(), "--port", Integer.toString(server.port()),
                "--user", server.user(), "--password", "wrong", "--publication", "cli_pub", "--slot", "x");
        assertEquals(3, wrongPassword.status(), wrongPassword.err());
        assertFalse(wrongPassword.err().contains("wrong"), "the password is never shown: " + wrongPassword.err());
        Run help = pgoutput("tail", "--help");
        assertEquals(0, help.status());
        assertTrue(String.join("\n", help.out()).contains("--publication"), help.out().toString());
    }
}
