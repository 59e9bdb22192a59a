package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenArtifactDownloadTest {

    private static final byte[] JAR = "not really a jar".getBytes(StandardCharsets.UTF_8);

    @TempDir Path repository;

    private HttpServer http;
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @BeforeEach
    void startHttpServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext(
                "/",
                exchange -> {
                    byte[] body = files.get(exchange.getRequestURI().getPath());
                    exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                    if (body != null) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                    exchange.close();
                });
        http.start();
    }

    @AfterEach
    void stopHttpServer() {
        http.stop(0);
    }

    @Test
    void storesTheArtifactWhenTheChecksumMatches() throws Exception {
        files.put("/a.jar", JAR);
        files.put("/a.jar.sha1", (sha1(JAR) + "  a.jar\n").getBytes(StandardCharsets.US_ASCII));
        Path target = repository.resolve("g/a/1/a.jar");

        new MavenArtifactDownload(uri("/a.jar"), target).run();

        assertArrayEquals(JAR, Files.readAllBytes(target));
        assertEquals(List.of(target), filesIn(repository));
    }

    @Test
    void rejectsAndDiscardsAnArtifactWithAnotherChecksum() throws Exception {
        files.put("/a.jar", JAR);
        files.put("/a.jar.sha1", sha1("other".getBytes(StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
        Path target = repository.resolve("g/a/1/a.jar");

        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new MavenArtifactDownload(uri("/a.jar"), target).run());

        assertTrue(e.getMessage().contains("Checksum mismatch"), e.getMessage());
        assertEquals(List.of(), filesIn(repository));
    }

    @Test
    void failsOnAMissingArtifact() {
        Path target = repository.resolve("a.jar");
        UncheckedIOException e =
                assertThrows(UncheckedIOException.class, () -> new MavenArtifactDownload(uri("/missing.jar"), target).run());
        assertTrue(e.getCause().getMessage().contains("HTTP 404"), e.getCause().getMessage());
        assertTrue(Files.notExists(target));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + path);
    }

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private static List<Path> filesIn(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }
}
