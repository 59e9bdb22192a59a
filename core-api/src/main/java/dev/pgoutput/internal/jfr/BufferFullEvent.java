package dev.pgoutput.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The engine thread waiting because the application has not taken what is buffered: backpressure, the
 * reading stands still meanwhile. Recorded from 20 ms on by default.
 */
@Name("dev.pgoutput.BufferFull")
@Label("Delivery Buffer Full")
@Category({"pgoutput-decoder"})
@Description("The reader waited for the application to take buffered events (the buffer was full)")
@Threshold("20 ms")
@StackTrace(false)
public final class BufferFullEvent extends jdk.jfr.Event {

    /** The slot. */
    @Label("Slot")
    public String slot;

    /** Events in the buffer when the wait began. */
    @Label("Buffered Events")
    public int bufferedEvents;

    /** Message bytes behind them. */
    @Label("Buffered Bytes")
    @DataAmount
    public long bufferedBytes;
}
