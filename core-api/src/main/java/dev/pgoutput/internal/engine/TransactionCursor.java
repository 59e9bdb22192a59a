package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ChangeEvent;
import dev.pgoutput.api.Op;
import dev.pgoutput.api.Source;
import dev.pgoutput.api.Transaction;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The reader's events read as transactions: each transaction starts with its first event and ends at the
 * commit the queue marks after its events; a snapshot's rows end at the row marked {@code last} (or when a
 * streamed event follows), a message outside any transaction is one by itself. One consumer thread.
 */
public final class TransactionCursor implements Iterator<Transaction> {

    private final ReplicationSession session;
    /** The first event of the next transaction, read already. */
    private ChangeEvent ahead;
    private View current;
    private boolean ended;

    /** The transactions of {@code session}'s events. */
    public TransactionCursor(ReplicationSession session) {
        this.session = session;
    }

    @Override
    public boolean hasNext() {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        while (ahead == null && !ended) {
            Object item = session.takeForTransactions(-1);
            if (item == null) {
                ended = true;
            } else if (item instanceof ChangeEvent e) {
                ahead = e;
            }
            // A Commit without events before it here: the end of a transaction already ended.
        }
        return ahead != null;
    }

    @Override
    public Transaction next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the reader has ended");
        }
        current = new View(ahead);
        ahead = null;
        return current;
    }

    /** Acknowledges {@code transaction} whole: the rest of its events are skipped if it is the current one. */
    public void acknowledge(Transaction transaction) {
        if (!(transaction instanceof View v) || v.cursor() != this) {
            throw new IllegalArgumentException("not a transaction of this reader: " + transaction);
        }
        v.skipRest();
        session.acknowledgeThrough(v.lastItem);
    }

    private static boolean standalone(ChangeEvent e) {
        return e.op() == Op.MESSAGE && e.source().txId() == null && e.source().commitLsn() == 0;
    }

    private static boolean snapshotRow(ChangeEvent e) {
        return e.op() == Op.READ && !"incremental".equals(e.source().snapshot());
    }

    /** One transaction, its events read from the cursor as the application asks. */
    private final class View implements Transaction, Iterator<ChangeEvent> {
        private final ChangeEvent first;
        private ChangeEvent next;
        private boolean finished;
        private boolean iterated;
        private long endLsn;
        private long lastItem;

        View(ChangeEvent first) {
            this.first = first;
            this.next = first;
            this.lastItem = session.delivered();
            this.finished = standalone(first) || (snapshotRow(first) && "last".equals(first.source().snapshot()));
        }

        TransactionCursor cursor() {
            return TransactionCursor.this;
        }

        @Override
        public long xid() {
            Long txId = first.source().txId();
            return txId == null ? 0 : txId;
        }

        @Override
        public long commitLsn() {
            return first.source().commitLsn();
        }

        @Override
        public long endLsn() {
            return endLsn;
        }

        @Override
        public Instant commitTime() {
            return Instant.ofEpochMilli(first.source().tsMs());
        }

        @Override
        public String origin() {
            return first.source().origin();
        }

        @Override
        public String gid() {
            return first.source().gid();
        }

        @Override
        public Iterator<ChangeEvent> events() {
            if (iterated) {
                throw new IllegalStateException("a transaction's events are read once");
            }
            iterated = true;
            return this;
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            Object item = session.takeForTransactions(-1);
            if (item == null) {
                finished = true;
                ended = true;
            } else if (item instanceof ReplicationSession.Commit c) {
                endLsn = c.endLsn();
                finished = true;
            } else {
                ChangeEvent e = (ChangeEvent) item;
                if (belongs(e)) {
                    next = e;
                    lastItem = session.delivered();
                    finished = snapshotRow(e) && "last".equals(e.source().snapshot());
                } else {
                    // A transaction the queue marks no commit for (a snapshot) ends where another begins.
                    ahead = e;
                    finished = true;
                }
            }
            return next != null;
        }

        private boolean belongs(ChangeEvent e) {
            Source a = first.source();
            Source b = e.source();
            return !standalone(e) && snapshotRow(first) == snapshotRow(e) && a.commitLsn() == b.commitLsn()
                    && Objects.equals(a.txId(), b.txId());
        }

        @Override
        public ChangeEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the transaction has no more events");
            }
            ChangeEvent e = next;
            next = null;
            return e;
        }

        void skipRest() {
            next = null;
            while (hasNext()) {
                next = null;
            }
        }

        @Override
        public String toString() {
            return "Transaction[xid=" + xid() + ", commitLsn=" + commitLsn() + "]";
        }
    }
}
