package dev.pgoutput.api;

import dev.pgoutput.internal.engine.ProviderSelection;
import dev.pgoutput.internal.engine.SlotNames;
import dev.pgoutput.spi.ConnectionSettings;
import dev.pgoutput.spi.CreatedSlot;
import dev.pgoutput.spi.ReplicationConnection;
import dev.pgoutput.spi.SlotRequest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Creates, lists and drops logical replication slots for pgoutput: the explicit admin helper (a reader
 * creates nothing unless asked with {@code createSlot(true)}). Slots are made with the replication
 * protocol's {@code CREATE_REPLICATION_SLOT … LOGICAL pgoutput}, never with the SQL function inside a
 * transaction. The connection needs the {@code REPLICATION} attribute, as a reader's does.
 *
 * <pre>{@code
 * try (ReplicationSlots slots = ReplicationSlots.connect(LogicalReplicationReader.builder()
 *         .host("db").database("app").user("cdc").password(secret))) {
 *     slots.create("orders_slot", SlotOptions.defaults().withTwoPhase(true));
 *     for (SlotInfo s : slots.list()) {
 *         System.out.println(s.name() + " active=" + s.active() + " retains " + s.retainedWalBytes() + " bytes");
 *     }
 *     slots.drop("old_slot");
 * }
 * // or, one call each: ReplicationSlots.create(settings, "orders_slot", SlotOptions.defaults())
 * }</pre>
 *
 * <p>Creating a slot waits for every transaction running when it starts; a forgotten {@code idle in
 * transaction} session would make it wait for hours, so it gives up after a timeout (60 s unless given),
 * leaves no slot behind and names the sessions it waited for. A temporary slot lives as long as this
 * object's connection. Not thread-safe; close it to release the connection.
 */
public final class ReplicationSlots implements AutoCloseable {

    /** How long {@link #create(String, SlotOptions)} waits for running transactions by default. */
    public static final Duration DEFAULT_CREATION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DROP_WAIT = Duration.ofSeconds(10);

    private final ReplicationConnection connection;

    private ReplicationSlots(ReplicationConnection connection) {
        this.connection = connection;
    }

    /**
     * Connects for slot administration.
     *
     * @throws ReplicationSetupException      when the server refuses the user or the database is missing
     * @throws ReplicationConnectionException when the server cannot be reached
     */
    public static ReplicationSlots connect(ConnectionSettings settings) {
        return new ReplicationSlots(ProviderSelection.transport().connect(Objects.requireNonNull(settings, "settings")));
    }

    /** Connects with the connection options of a reader's builder (host, port, database, user, …). */
    public static ReplicationSlots connect(LogicalReplicationReader.Builder connection) {
        return connect(connection.connectionSettings());
    }

    /** Creates a slot, waiting up to {@link #DEFAULT_CREATION_TIMEOUT} for running transactions. */
    public SlotInfo create(String name, SlotOptions options) {
        return create(name, options, DEFAULT_CREATION_TIMEOUT);
    }

    /**
     * Creates a slot for pgoutput.
     *
     * @throws ReplicationSetupException {@link ReplicationSetupException.Problem#SLOT_CREATION} when it exists
     *                                   or creation timed out, {@link ReplicationSetupException.Problem#SERVER_VERSION}
     *                                   when the server lacks an option
     */
    public SlotInfo create(String name, SlotOptions options, Duration timeout) {
        SlotNames.validate(name);
        Objects.requireNonNull(options, "options");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new ConfigurationException("the creation timeout must be positive, got " + timeout);
        }
        CreatedSlot created = connection.createSlot(new SlotRequest(name, options.temporary(), false,
                options.twoPhase(), options.failover(), timeout));
        return find(created.name());
    }

    /**
     * Drops a slot, waiting a few seconds for a reader that is letting it go.
     *
     * @throws ReplicationSetupException {@link ReplicationSetupException.Problem#SLOT_MISSING} when there is no
     *                                   such slot, {@link ReplicationSetupException.Problem#SLOT_CREATION} when
     *                                   it stays in use
     */
    public void drop(String name) {
        SlotNames.validate(name);
        connection.dropSlot(name, DROP_WAIT);
    }

    /** The server's logical replication slots, by name. */
    public List<SlotInfo> list() {
        return connection.listSlots();
    }

    private SlotInfo find(String name) {
        for (SlotInfo slot : list()) {
            if (slot.name().equals(name)) {
                return slot;
            }
        }
        throw new PgOutputException("replication slot \"" + name + "\" was created but is not listed by the server");
    }

    @Override
    public void close() {
        connection.close();
    }

    /**
     * Creates a permanent slot with one connection of its own.
     *
     * @throws ConfigurationException when {@code options} ask for a temporary slot, which would end with
     *                                that connection at once: use {@link #connect} and keep it open instead
     */
    public static SlotInfo create(ConnectionSettings settings, String name, SlotOptions options) {
        if (options.temporary()) {
            throw new ConfigurationException("a temporary slot ends with the connection that made it; create it "
                    + "with ReplicationSlots.connect(...).create(...) and keep that open while the slot is used");
        }
        try (ReplicationSlots slots = connect(settings)) {
            return slots.create(name, options);
        }
    }

    /** Drops a slot with one connection of its own. */
    public static void drop(ConnectionSettings settings, String name) {
        try (ReplicationSlots slots = connect(settings)) {
            slots.drop(name);
        }
    }

    /** Lists the slots with one connection of its own. */
    public static List<SlotInfo> list(ConnectionSettings settings) {
        try (ReplicationSlots slots = connect(settings)) {
            return slots.list();
        }
    }
}
