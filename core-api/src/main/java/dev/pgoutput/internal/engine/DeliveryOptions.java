package dev.pgoutput.internal.engine;

import dev.pgoutput.api.Op;
import dev.pgoutput.api.TransactionOutcome;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What the application receives and how it acknowledges it.
 *
 * @param autoAcknowledge    acknowledge each event when the next is requested
 * @param skippedOperations  operations not delivered
 * @param deliverUncommitted deliver changes of streamed transactions as they arrive
 * @param deliverOnPrepare   deliver prepared transactions at PREPARE
 * @param outcomes           receives the outcomes of transactions delivered early; null when none are
 * @param transactionEnds    receives the end LSN of each transaction whose events single-event consumers took;
 *                           null when nobody asked
 */
public record DeliveryOptions(boolean autoAcknowledge, Set<Op> skippedOperations, boolean deliverUncommitted,
                              boolean deliverOnPrepare, Consumer<TransactionOutcome> outcomes,
                              LongConsumer transactionEnds) {

    /** Copies. */
    public DeliveryOptions {
        skippedOperations = Set.copyOf(skippedOperations);
    }

    /** How the engine delivers transactions whose outcome is not known yet. */
    EventAssembler.Delivery early() {
        return new EventAssembler.Delivery(deliverUncommitted, deliverOnPrepare);
    }
}
