package dev.pgoutput.transport.pgjdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.LogicalReplicationReader;
import dev.pgoutput.testkit.PostgresExtension;
import dev.pgoutput.testkit.PostgresServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The buffer between network and application is bounded, and the publisher's demand drives reading. */
class BackpressureIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.version(17);

    @Test
    void aSlowConsumerKeepsTheBufferWithinItsByteBudget(PostgresServer server) throws Exception {
        Database db = Database.on(server, "budget");
        db.execute("CREATE TABLE budget (id int PRIMARY KEY, pad text)");
        db.createPublicationAndSlot("budget");
        long budget = 256 * 1024;
        try (LogicalReplicationReader reader = db.reader().bufferBytes(budget).bufferCapacity(100_000).build()) {
            // 4,000 rows of about 2 kB in one transaction: 8 MB, thirty times the budget.
            db.execute("INSERT INTO budget SELECT g, repeat(md5(g::text), 64) FROM generate_series(1, 4000) g");
            long maxBuffered = 0;
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen < 4000 && System.nanoTime() < deadline) {
                maxBuffered = Math.max(maxBuffered, reader.bufferedBytes());
                if (reader.poll(Duration.ofMillis(200)) != null) {
                    seen++;
                    if (seen % 100 == 0) {
                        Thread.sleep(20); // slow down: let the engine fill the buffer
                    }
                }
            }
            assertEquals(4000, seen);
            // One message may exceed the budget by itself; nothing beyond that.
            assertTrue(maxBuffered <= budget + 4096, "buffered up to " + maxBuffered + " bytes");
            assertTrue(maxBuffered >= budget / 2, "the buffer did fill (" + maxBuffered + " bytes)");
        } finally {
            db.dropSlot();
        }
    }

    @Test
    void publisherDeliversOnlyWhatWasRequested(PostgresServer server) throws Exception {
        Database db = Database.on(server, "flow");
        db.execute("CREATE TABLE flow (id int PRIMARY KEY)");
        db.createPublicationAndSlot("flow");
        try (LogicalReplicationReader reader = db.reader().build()) {
            db.execute("INSERT INTO flow SELECT generate_series(1, 10)");
            List<Object> received = new CopyOnWriteArrayList<>();
            AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
            CountDownLatch subscribed = new CountDownLatch(1);
            CountDownLatch completed = new CountDownLatch(1);
            reader.publisher().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription.set(s);
                    subscribed.countDown();
                }

                @Override
                public void onNext(ChangeEvent e) {
                    received.add(e.after().get("id"));
                }

                @Override
                public void onError(Throwable t) {
                    received.add(t);
                }

                @Override
                public void onComplete() {
                    completed.countDown();
                }
            });
            assertTrue(subscribed.await(5, TimeUnit.SECONDS));
            Thread.sleep(1_000);
            assertEquals(List.of(), received, "nothing before any request");
            subscription.get().request(3);
            awaitSize(received, 3);
            Thread.sleep(1_000);
            assertEquals(List.of(1, 2, 3), received, "exactly the requested three");
            subscription.get().request(7);
            awaitSize(received, 10);
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), received);

            // A second subscriber is refused.
            AtomicReference<Throwable> refused = new AtomicReference<>();
            reader.publisher().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                }

                @Override
                public void onNext(ChangeEvent e) {
                }

                @Override
                public void onError(Throwable t) {
                    refused.set(t);
                }

                @Override
                public void onComplete() {
                }
            });
            assertInstanceOf(IllegalStateException.class, refused.get());

            subscription.get().request(1);
            reader.stop();
            assertTrue(completed.await(10, TimeUnit.SECONDS), "onComplete after the reader stopped");
        } finally {
            db.dropSlot();
        }
    }

    private static void awaitSize(List<Object> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(size, list.size(), "received " + list);
    }
}
