package dev.pgoutput.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A logical decoding message, written on the server with {@code pg_logical_emit_message(transactional,
 * prefix, content)} and delivered as a {@link ChangeEvent} with {@link Op#MESSAGE} when the reader was
 * built with {@code messages(true)} (PostgreSQL 14+). The outbox pattern without an outbox table.
 *
 * @param prefix        the prefix the writer chose, for example {@code "outbox"}
 * @param content       the content bytes (a private copy)
 * @param transactional whether it was part of its transaction (delivered in that transaction's order, and
 *                      only if it committed) or not (delivered as soon as the server decoded it, even if
 *                      its transaction later rolled back)
 */
public record Message(String prefix, byte[] content, boolean transactional) {

    /** Copies the content so the record stays immutable. */
    public Message {
        content = content.clone();
    }

    /** Returns a copy of the content. */
    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The content as UTF-8 text, or {@code null} when it is not valid UTF-8. */
    public String contentAsString() {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Message m && prefix.equals(m.prefix) && transactional == m.transactional
                && java.util.Arrays.equals(content, m.content);
    }

    @Override
    public int hashCode() {
        return (prefix.hashCode() * 31 + java.util.Arrays.hashCode(content)) * 31 + Boolean.hashCode(transactional);
    }

    @Override
    public String toString() {
        String text = contentAsString();
        return "Message[prefix=" + prefix + ", transactional=" + transactional + ", content="
                + (text != null ? '"' + text + '"' : content.length + " bytes") + "]";
    }
}
