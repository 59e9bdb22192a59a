package dev.pgoutput.examples;

import java.util.Map;

/**
 * {@link TransactionalReplica#replicate} in a process of its own, for the kill test: runs until killed.
 *
 * <p>Arguments: host port database user password publication slot targetUrl.
 */
public final class ReplicaChild {

    private ReplicaChild() {
    }

    /**
     * Replicates forever.
     *
     * @param args host port database user password publication slot targetUrl
     */
    public static void main(String[] args) throws Exception {
        TransactionalReplica.replicate(Map.of("host", args[0], "port", args[1], "database", args[2], "user", args[3],
                "password", args[4]), args[5], args[6], args[7], 0, System.out);
    }
}
