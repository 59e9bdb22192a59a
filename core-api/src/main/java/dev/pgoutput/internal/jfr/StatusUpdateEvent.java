package dev.pgoutput.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A Standby status update sent to the server: what it now counts as received and flushed. */
@Name("dev.pgoutput.StatusUpdate")
@Label("Replication Status Update")
@Category({"pgoutput-decoder"})
@Description("A status update sent to the server (the flushed position is the slot's confirmed position to be)")
@StackTrace(false)
public final class StatusUpdateEvent extends jdk.jfr.Event {

    /** The slot. */
    @Label("Slot")
    public String slot;

    /** The received position reported, as PostgreSQL writes LSNs. */
    @Label("Received")
    public String received;

    /** The flushed (and applied) position reported. */
    @Label("Flushed")
    public String flushed;

    /** Whether the update asked the server to answer. */
    @Label("Reply Requested")
    public boolean replyRequested;
}
