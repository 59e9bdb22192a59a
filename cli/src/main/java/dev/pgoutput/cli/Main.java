package dev.pgoutput.cli;

import dev.pgoutput.api.ConfigurationException;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.api.ReplicationSetupException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pgoutput} command. Exit status: 0 on a clean stop, 2 for usage errors (an unknown option, a
 * bad value), 3 for setup errors (the server is not set up for the command: the message and the fixing
 * SQL go to stderr), 1 for anything else.
 */
@Command(name = "pgoutput", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        subcommands = {TailCommand.class, SlotCommand.class, SnapshotCommand.class},
        description = "PostgreSQL logical replication (pgoutput) as Debezium-compatible JSON lines.")
public final class Main implements Runnable {

    /** A setup error: the server is not set up for what was asked. */
    static final int SETUP_ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit status. */
    static int run(String... args) {
        CommandLine line = new CommandLine(new Main());
        line.setExecutionExceptionHandler(Main::failed);
        return line.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: tail, slot or snapshot");
    }

    private static int failed(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
        PrintWriter err = line.getErr();
        if (e instanceof ReplicationSetupException setup) {
            err.println("pgoutput: " + setup.getMessage());
            if (setup.remedy() != null) {
                err.println("fix: " + setup.remedy());
            }
            err.flush();
            return SETUP_ERROR;
        }
        if (e instanceof ConfigurationException || e instanceof IllegalArgumentException) {
            err.println("pgoutput: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
        err.println("pgoutput: " + e);
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The library's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pgoutput " + LogicalReplicationReader.version()};
        }
    }
}
