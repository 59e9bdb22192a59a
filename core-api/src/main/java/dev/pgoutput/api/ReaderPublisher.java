package dev.pgoutput.api;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The reader as a {@link Flow.Publisher}: one subscriber, served by a delivery thread that takes an
 * event from the reader only while the subscriber has outstanding demand. Since the reader's buffer is
 * bounded, no demand means the engine stops reading from the server: {@code request(n)} really drives
 * reading.
 *
 * <p>Auto-acknowledgement works as with the iterator: an event counts as handled when the next one is
 * taken, that is after {@code onNext} returned and more demand arrived. {@code cancel()} stops the
 * reader. The reader's end is {@code onComplete}; its failure is {@code onError}.
 */
final class ReaderPublisher implements Flow.Publisher<ChangeEvent> {

    private static final Duration POLL_SLICE = Duration.ofMillis(50);

    private final LogicalReplicationReader reader;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    ReaderPublisher(LogicalReplicationReader reader) {
        this.reader = reader;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChangeEvent> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onError(new IllegalStateException("a reader's publisher takes one subscriber; "
                    + "use another reader (and slot) for another consumer"));
            return;
        }
        Delivery delivery = new Delivery(subscriber);
        Thread thread = new Thread(delivery, "pgoutput-publisher");
        thread.setDaemon(true);
        delivery.thread = thread;
        subscriber.onSubscribe(delivery);
        thread.start();
    }

    private final class Delivery implements Flow.Subscription, Runnable {
        private final Flow.Subscriber<? super ChangeEvent> subscriber;
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean cancelled;
        private volatile Throwable invalidRequest;
        private volatile Thread thread;

        Delivery(Flow.Subscriber<? super ChangeEvent> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                // Reactive Streams rule 3.9: signal onError for a non-positive request.
                invalidRequest = new IllegalArgumentException("request(" + n + "): demand must be positive");
            } else {
                demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            }
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            reader.stop();
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void run() {
            try {
                while (!cancelled) {
                    if (invalidRequest != null) {
                        cancelled = true;
                        reader.stop();
                        subscriber.onError(invalidRequest);
                        return;
                    }
                    if (demand.get() == 0) {
                        LockSupport.parkNanos(this, POLL_SLICE.toNanos());
                        continue;
                    }
                    ChangeEvent event = reader.poll(POLL_SLICE);
                    if (event == null) {
                        if (reader.isEnded()) {
                            if (!cancelled) {
                                subscriber.onComplete();
                            }
                            return;
                        }
                        continue;
                    }
                    demand.decrementAndGet();
                    subscriber.onNext(event);
                }
            } catch (RuntimeException e) {
                if (!cancelled) {
                    cancelled = true;
                    subscriber.onError(e);
                }
            }
        }
    }
}
