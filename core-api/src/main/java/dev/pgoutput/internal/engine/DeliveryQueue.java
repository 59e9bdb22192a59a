package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.TransactionOutcome;
import dev.pgoutput.internal.jfr.BufferFullEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off between the engine thread and the application: events, outcomes and the end, in
 * order. Bounded twice, by a number of items and by the bytes of the messages behind the events, which
 * is the backpressure: when the application is slow the engine waits for room instead of reading on, and
 * while it waits it keeps the replication session alive ({@link Waiting#keepAlive()}).
 */
final class DeliveryQueue {

    /** What the queue carries. */
    sealed interface Item permits EventItem, OutcomeItem, CommitItem, End {
    }

    /** A change event with the bytes it holds, given back when it is taken. */
    record EventItem(ChangeEvent event, int bytes) implements Item {
    }

    /** The outcome of a transaction delivered before it. */
    record OutcomeItem(TransactionOutcome outcome) implements Item {
    }

    /**
     * The transaction of the events before it committed, its commit record ending at {@code endLsn}: the
     * end of a transaction for a consumer that reads transactions. Only after a transaction that delivered
     * events; not numbered by the tracker (it is not delivered, and owes nothing).
     */
    record CommitItem(long endLsn) implements Item {
    }

    /** The engine thread has ended; nothing follows. */
    record End() implements Item {
    }

    /** How the engine thread waits for room. */
    interface Waiting {
        /** Whether the reader is stopping: then waiting ends with a {@link StopSignal}. */
        boolean stopping();

        /** Called about every {@link #WAIT_SLICE_NANOS} while waiting. */
        void keepAlive();
    }

    /** Unwinds the engine thread when the reader stops while it waits for room. */
    static final class StopSignal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StopSignal() {
            super(null, null, false, false);
        }
    }

    static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Rough heap cost of an event beyond its message bytes (event, source, rows). */
    static final int EVENT_OVERHEAD_BYTES = 256;
    /**
     * How often the consumer looks again before it parks on an empty queue. Parking costs the engine
     * thread a wake-up (a futex call) for the next event; when events come just a little slower than the
     * application takes them, that happens for nearly every event. Measured on W1 (bench e2e, scale 0.5,
     * two runs each, both decoders): 8.9 → 7.9 µs of CPU per event, about 10 % more events/s. A few
     * microseconds of spinning at most, and only while the queue is empty.
     */
    private static final int SPINS_BEFORE_PARKING = 2_000;
    private static final End END = new End();

    private final ArrayBlockingQueue<Item> items;
    private final long byteBudget;
    /** Bytes of the messages behind the queued events. */
    private final AtomicLong bytes = new AtomicLong();

    /** The slot, for the flight recorder's buffer-full events. */
    private final String slot;

    DeliveryQueue(int capacity, long byteBudget, String slot) {
        this.items = new ArrayBlockingQueue<>(capacity);
        this.byteBudget = byteBudget;
        this.slot = slot;
    }

    /**
     * Queues an event made from a message of {@code messageBytes}, waiting while the queue holds events
     * and this one would exceed the byte budget (one event always passes, however large).
     */
    void putEvent(ChangeEvent event, int messageBytes, Waiting waiting) {
        int charged = messageBytes + EVENT_OVERHEAD_BYTES;
        if (overBudget(charged)) {
            BufferFullEvent full = fullSince();
            while (overBudget(charged)) {
                if (waiting.stopping()) {
                    throw new StopSignal();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                waiting.keepAlive();
            }
            recordWait(full);
        }
        bytes.addAndGet(charged);
        put(new EventItem(event, charged), waiting);
    }

    /** Whether an event of {@code charged} bytes must wait: one event always passes, however large. */
    private boolean overBudget(long charged) {
        long queued = bytes.get();
        return queued > 0 && queued + charged > byteBudget;
    }

    /** Queues the end of the transaction of the events before it. */
    void putCommit(long endLsn, Waiting waiting) {
        put(new CommitItem(endLsn), waiting);
    }

    /** Queues an outcome behind the events before it. */
    void putOutcome(TransactionOutcome outcome, Waiting waiting) {
        put(new OutcomeItem(outcome), waiting);
    }

    /** Queues the end; gives up when the reader is stopping and nobody takes items any more. */
    void putEnd(Waiting waiting) {
        while (true) {
            try {
                if (items.offer(END, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS) || waiting.stopping()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void put(Item item, Waiting waiting) {
        try {
            if (items.offer(item)) {
                return;
            }
            BufferFullEvent full = fullSince();
            while (!items.offer(item, WAIT_SLICE_NANOS, TimeUnit.NANOSECONDS)) {
                if (waiting.stopping()) {
                    throw new StopSignal();
                }
                waiting.keepAlive();
            }
            recordWait(full);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopSignal();
        }
    }

    /** A wait on a full buffer begins (recorded only if a recording enables the event, and it lasts long enough). */
    private BufferFullEvent fullSince() {
        BufferFullEvent event = new BufferFullEvent();
        if (!event.isEnabled()) {
            return null;
        }
        event.bufferedEvents = items.size();
        event.bufferedBytes = bytes.get();
        event.begin();
        return event;
    }

    private void recordWait(BufferFullEvent event) {
        if (event == null) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.slot = slot;
            event.commit();
        }
    }

    /**
     * Takes the next item, spinning briefly and then waiting at most {@code waitNanos}; null when none
     * came. An event's bytes are given back to the budget.
     */
    Item poll(long waitNanos) throws InterruptedException {
        Item item = items.poll();
        for (int spin = 0; item == null && spin < SPINS_BEFORE_PARKING; spin++) {
            Thread.onSpinWait();
            item = items.poll();
        }
        if (item == null) {
            item = items.poll(waitNanos, TimeUnit.NANOSECONDS);
        }
        if (item instanceof EventItem e) {
            bytes.addAndGet(-e.bytes());
        }
        return item;
    }

    /** How many items wait for the application. */
    int size() {
        return items.size();
    }

    /** Whether nothing waits for the application. */
    boolean isEmpty() {
        return items.isEmpty();
    }

    /** Bytes of the messages behind the events waiting. */
    long bytes() {
        return bytes.get();
    }
}
