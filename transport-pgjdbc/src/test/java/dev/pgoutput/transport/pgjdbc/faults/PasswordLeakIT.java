package dev.pgoutput.transport.pgjdbc.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import dev.pgoutput.transport.pgjdbc.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Passwords never appear in logs, exception messages, stack traces or {@code toString()}: a child JVM
 * runs {@link SecretLeakMain} with our loggers at TRACE and pgjdbc's at FINEST, and none of its output
 * may contain the right password, the wrong one or the one inside a connection URI. The wrong password
 * also has to fail within 5 seconds with an authentication message and without a retry loop.
 */
class PasswordLeakIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    private static final String RIGHT = "Right-pw-93ab17";
    private static final String WRONG = "Wrong-pw-7c1e52";
    private static final String IN_URI = "Uri-pw-4f0d88";

    @Test
    void noPasswordInAnyOutput(PostgresServer server) throws Exception {
        String name = "leak_" + ProcessHandle.current().pid();
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + name + " LOGIN REPLICATION PASSWORD '" + RIGHT + "'");
            s.execute("CREATE TABLE " + name + " (id int PRIMARY KEY)");
            s.execute("GRANT INSERT, SELECT ON " + name + " TO " + name);
            s.execute("CREATE PUBLICATION " + name + " FOR TABLE " + name);
            s.execute("SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
        }
        Path logging = Files.createTempFile("jul", ".properties");
        try {
            Files.writeString(logging, String.join("\n",
                    "handlers=java.util.logging.ConsoleHandler",
                    ".level=INFO",
                    "org.postgresql.level=FINEST",
                    "java.util.logging.ConsoleHandler.level=FINEST", ""));
            ChildJvm child = ChildJvm.start(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
                            "-Djava.util.logging.config.file=" + logging),
                    SecretLeakMain.class,
                    server.host(), Integer.toString(server.port()), server.database(), name,
                    RIGHT, WRONG, IN_URI, name, name, name);
            boolean done;
            try (child) {
                done = child.waitFor(3, TimeUnit.MINUTES);
            }
            String output = child.output();
            assertTrue(done, "the child did not finish: " + output);
            assertEquals(0, child.exitValue(), output);
            // The scenario really ran, verbosely, through failures, streaming and a reconnect.
            assertTrue(output.contains("DONE") && output.contains("GOT 1 ") && output.contains("GOT 2 "), output);
            assertTrue(output.contains("password authentication failed"), output);
            assertTrue(output.contains("WRONG_URI_PASSWORD"), output);
            assertTrue(output.contains("reconnect attempt"), "a reconnect was logged: " + output);
            assertTrue(output.contains("FINEST") || output.contains("FINE"), "pgjdbc logged at FINEST: " + output);
            Matcher failedAfter = Pattern.compile("WRONG_PASSWORD_MS (\\d+) ").matcher(output);
            assertTrue(failedAfter.find(), output);
            assertTrue(Long.parseLong(failedAfter.group(1)) < 5_000, "a wrong password failed after "
                    + failedAfter.group(1) + " ms");

            for (String secret : List.of(RIGHT, WRONG, IN_URI)) {
                int at = output.indexOf(secret);
                assertFalse(at >= 0, "the password " + secret + " appears in the output: …"
                        + output.substring(Math.max(0, at - 300), Math.min(output.length(), at + 100)));
            }
            System.out.println("[PasswordLeakIT] searched " + output.lines().count() + " lines of output");
        } finally {
            Files.deleteIfExists(logging);
            try (Connection c = server.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_drop_replication_slot('" + name + "')");
                s.execute("DROP PUBLICATION " + name);
                s.execute("DROP TABLE " + name);
                s.execute("DROP ROLE " + name);
            }
        }
    }
}
