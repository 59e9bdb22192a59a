package dev.pgoutput.protocol;

/** Stream Stop ({@code 'E'}): closes the current streamed block (protocol 2+). */
public record StreamStop() implements PgOutputMessage {
    @Override
    public char typeCode() {
        return 'E';
    }
}
