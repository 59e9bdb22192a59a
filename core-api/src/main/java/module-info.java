/**
 * pgoutput-decoder core: the public API ({@code dev.pgoutput.api}), the protocol message model shared by
 * the decoders ({@code dev.pgoutput.protocol}), the value mapping shared by decoders and serializers
 * ({@code dev.pgoutput.types}) and the service interfaces ({@code dev.pgoutput.spi}). The engine that
 * wires them stays internal.
 */
module dev.pgoutput.core {
    requires org.slf4j;
    requires jdk.jfr;

    exports dev.pgoutput.api;
    exports dev.pgoutput.protocol;
    exports dev.pgoutput.types;
    exports dev.pgoutput.schema;
    exports dev.pgoutput.spi;
    // The flight-recorder events: the transport records the status updates it sends.
    exports dev.pgoutput.internal.jfr to dev.pgoutput.transport.pgjdbc;

    uses dev.pgoutput.spi.DecoderProvider;
    uses dev.pgoutput.spi.TransportProvider;
    // No "uses SerializerProvider": the core never loads serializers; applications (and tools) that pick a
    // format by name do, and declare it in their own module.
}
