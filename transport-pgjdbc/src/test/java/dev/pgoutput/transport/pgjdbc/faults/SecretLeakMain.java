package dev.pgoutput.transport.pgjdbc.faults;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.PgOutputException;
import dev.pgoutput.api.ReconnectPolicy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Run by {@link PasswordLeakIT} in a child JVM with every logger at its most verbose: fails to connect
 * with wrong passwords (given directly and inside a URI), then streams with the right one through a
 * reconnect, printing every exception with its causes and stack, and the objects a user might print.
 * The parent then searches all of the output for the passwords.
 *
 * <p>Arguments: host port database user rightPassword wrongPassword uriPassword slot publication table.
 */
public final class SecretLeakMain {

    private SecretLeakMain() {
    }

    /**
     * Runs the scenario.
     *
     * @param args host port database user rightPassword wrongPassword uriPassword slot publication table
     */
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        String user = args[3];
        String right = args[4];
        String wrong = args[5];
        String uriPassword = args[6];
        String slot = args[7];
        String publication = args[8];
        String table = args[9];

        long start = System.nanoTime();
        LogicalReplicationReader.Builder wrongBuilder = LogicalReplicationReader.builder()
                .host(host).port(port).database(database).user(user).password(wrong)
                .slot(slot).publication(publication);
        System.out.println("builder: " + wrongBuilder);
        try (LogicalReplicationReader reader = wrongBuilder.build()) {
            System.out.println("UNEXPECTED: connected with a wrong password " + reader);
        } catch (PgOutputException e) {
            System.out.println("WRONG_PASSWORD_MS " + (System.nanoTime() - start) / 1_000_000 + " " + e);
            e.printStackTrace(System.out);
        }

        String uri = "postgresql://" + user + ":" + uriPassword + "@" + host + ":" + port + "/" + database
                + "?password=" + uriPassword;
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder().connectionUri(uri)
                .slot(slot).publication(publication).build()) {
            System.out.println("UNEXPECTED: connected with a wrong URI password " + reader);
        } catch (PgOutputException e) {
            System.out.println("WRONG_URI_PASSWORD " + e);
            e.printStackTrace(System.out);
        }

        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", right);
        String jdbcUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
        try (LogicalReplicationReader reader = LogicalReplicationReader.builder()
                .host(host).port(port).database(database).user(user).password(right)
                .slot(slot).publication(publication)
                .reconnect(new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.2, 0))
                .build();
             Connection sql = DriverManager.getConnection(jdbcUrl, props);
             Statement st = sql.createStatement()) {
            System.out.println("reader: " + reader);
            st.execute("INSERT INTO " + table + " VALUES (1)");
            print(reader.poll(Duration.ofSeconds(30)));
            // A reconnect, so that its log lines are part of the output too.
            st.execute("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '"
                    + slot + "'");
            st.execute("INSERT INTO " + table + " VALUES (2)");
            print(reader.poll(Duration.ofSeconds(30)));
        }
        System.out.println("DONE");
    }

    private static void print(ChangeEvent event) {
        System.out.println(event == null ? "NO EVENT" : "GOT " + event.after().get("id") + " " + event);
    }
}
