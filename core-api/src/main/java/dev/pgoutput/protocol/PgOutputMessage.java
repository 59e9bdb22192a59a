package dev.pgoutput.protocol;

/**
 * One decoded pgoutput message, the payload of one XLogData frame.
 *
 * <p>The family is sealed so that the engine can dispatch exhaustively and so that decoders cannot
 * invent message kinds of their own.
 */
public sealed interface PgOutputMessage
        permits Begin, Commit, Origin, Relation, Type, Insert, Update, Delete, Truncate, LogicalMessage,
                StreamStart, StreamStop, StreamCommit, StreamAbort,
                BeginPrepare, Prepare, CommitPrepared, RollbackPrepared, StreamPrepare {

    /** The message type byte as sent on the wire, for example {@code 'I'} for Insert. */
    char typeCode();
}
