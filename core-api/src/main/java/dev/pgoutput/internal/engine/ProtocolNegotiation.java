package dev.pgoutput.internal.engine;

import dev.pgoutput.api.ReplicationSetupException;

/**
 * Which pgoutput protocol version to ask for. Asking a server for more than it speaks is an error, so
 * the default is the highest it speaks: 1 before PostgreSQL 14, 2 on 14, 3 on 15, 4 from 16 on.
 */
final class ProtocolNegotiation {

    /** The highest pgoutput protocol version this reader speaks. */
    static final int HIGHEST = 4;

    private ProtocolNegotiation() {
    }

    static int highestSupported(int serverVersionNum) {
        if (serverVersionNum >= 160000) {
            return 4;
        }
        if (serverVersionNum >= 150000) {
            return 3;
        }
        return serverVersionNum >= 140000 ? 2 : 1;
    }

    /** The requested version (0 = highest), checked against the server. */
    static int choose(int requested, int serverVersionNum) {
        int highest = highestSupported(serverVersionNum);
        if (requested == 0) {
            return highest;
        }
        if (requested > highest) {
            int minimum = switch (requested) {
                case 2 -> 14;
                case 3 -> 15;
                default -> 16;
            };
            throw new ReplicationSetupException(ReplicationSetupException.Problem.SERVER_VERSION,
                    "protocolVersion(" + requested + ") needs PostgreSQL " + minimum + " or newer, but the server is "
                            + describe(serverVersionNum) + " (highest protocol " + highest + ")",
                    "use protocolVersion(" + highest + ") or leave it unset to use the highest the server speaks",
                    null);
        }
        return requested;
    }

    static String describe(int serverVersionNum) {
        return serverVersionNum / 10000 + "." + serverVersionNum % 10000;
    }
}
