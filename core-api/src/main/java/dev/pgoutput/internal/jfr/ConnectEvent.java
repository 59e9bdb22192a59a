package dev.pgoutput.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** One attempt to open the replication connection, at start or to reconnect, and how it ended. */
@Name("dev.pgoutput.Connect")
@Label("Replication Connect")
@Category({"pgoutput-decoder"})
@Description("An attempt to open the replication connection and check the setup (start or reconnect)")
@StackTrace(false)
public final class ConnectEvent extends jdk.jfr.Event {

    /** The slot. */
    @Label("Slot")
    public String slot;

    /** The server's host and port. */
    @Label("Server")
    public String server;

    /** {@code start} or {@code reconnect}. */
    @Label("Kind")
    public String kind;

    /** 1 for the first attempt of a start or of a reconnect. */
    @Label("Attempt")
    public int attempt;

    /** Whether the connection was opened. */
    @Label("Succeeded")
    public boolean succeeded;

    /** The failure, when it did not succeed. */
    @Label("Error")
    public String error;
}
