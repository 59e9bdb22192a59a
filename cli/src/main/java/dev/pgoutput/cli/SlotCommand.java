package dev.pgoutput.cli;

import dev.pgoutput.api.ReplicationSlots;
import dev.pgoutput.api.SlotInfo;
import dev.pgoutput.api.SlotOptions;
import dev.pgoutput.protocol.Lsn;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgoutput slot create|drop|list}: the replication slots of a database. */
@Command(name = "slot", mixinStandardHelpOptions = true, description = "Create, drop or list replication slots.",
        subcommands = {SlotCommand.Create.class, SlotCommand.Drop.class, SlotCommand.ListSlots.class})
final class SlotCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "slot needs create, drop or list");
    }

    /** {@code slot create NAME}. */
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a pgoutput slot.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "NAME", description = "the slot's name")
        String name;

        @Option(names = "--two-phase", description = "decode prepared transactions (PostgreSQL 15+)")
        boolean twoPhase;

        @Option(names = "--failover", description = "synchronised to standbys (PostgreSQL 17+)")
        boolean failover;

        @Override
        public Integer call() {
            SlotInfo slot = ReplicationSlots.create(connection.builder().connectionSettings(), name,
                    SlotOptions.defaults().withTwoPhase(twoPhase).withFailover(failover));
            System.out.println("created " + slot.name() + " at " + Lsn.format(slot.confirmedFlushLsn()));
            return 0;
        }
    }

    /** {@code slot drop NAME}. */
    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Drop a slot.")
    static final class Drop implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;

        @Parameters(paramLabel = "NAME", description = "the slot's name")
        String name;

        @Override
        public Integer call() {
            ReplicationSlots.drop(connection.builder().connectionSettings(), name);
            System.out.println("dropped " + name);
            return 0;
        }
    }

    /** {@code slot list}: one line per slot, with its lag and retained WAL. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the database's slots.")
    static final class ListSlots implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            out.printf("%-32s %-10s %-7s %-16s %s%n", "slot", "plugin", "active", "confirmed", "retained WAL");
            for (SlotInfo s : ReplicationSlots.list(connection.builder().connectionSettings())) {
                out.printf("%-32s %-10s %-7s %-16s %d%n", s.name(), s.plugin(), s.active() ? "yes" : "no",
                        Lsn.format(s.confirmedFlushLsn()), s.retainedWalBytes());
            }
            return 0;
        }
    }
}
