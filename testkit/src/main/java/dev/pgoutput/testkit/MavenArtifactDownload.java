package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Downloads one artifact into the local Maven repository and checks it against the
 * {@code .sha1} file published next to it. The file appears under its final name only when
 * complete and verified (written to a temporary sibling, then moved), so a concurrent reader
 * never sees half a jar.
 */
final class MavenArtifactDownload {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final URI source;
    private final Path target;

    MavenArtifactDownload(URI source, Path target) {
        this.source = source;
        this.target = target;
    }

    void run() {
        HttpClient client =
                HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .connectTimeout(Duration.ofSeconds(30))
                        .build();
        Path temp = null;
        try {
            String expectedSha1 = fetchSha1(client);
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
            String actualSha1 = fetchTo(client, temp);
            if (!actualSha1.equals(expectedSha1)) {
                throw new IllegalStateException(
                        "Checksum mismatch for " + source + ": expected SHA-1 " + expectedSha1
                                + ", downloaded " + actualSha1);
            }
            moveIntoPlace(temp);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot download " + source, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while downloading " + source, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // A stray .part file is harmless; the next download uses a new name.
                }
            }
        }
    }

    private String fetchSha1(HttpClient client) throws IOException, InterruptedException {
        URI sha1 = URI.create(source + ".sha1");
        HttpResponse<String> response =
                client.send(request(sha1), HttpResponse.BodyHandlers.ofString(StandardCharsets.US_ASCII));
        requireOk(sha1, response.statusCode());
        // Some repositories publish "<hash>  <file name>"; the hash is the first token.
        String hash = response.body().trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
        if (!hash.matches("[0-9a-f]{40}")) {
            throw new IOException("Not a SHA-1 checksum at " + sha1 + ": " + response.body());
        }
        return hash;
    }

    private String fetchTo(HttpClient client, Path file) throws IOException, InterruptedException {
        HttpResponse<InputStream> response =
                client.send(request(source), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            requireOk(source, response.statusCode());
            MessageDigest sha1 = sha1();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha1)) {
                in.transferTo(out);
            }
            return HexFormat.of().formatHex(sha1.digest());
        }
    }

    private void moveIntoPlace(Path temp) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static HttpRequest request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    }

    private static void requireOk(URI uri, int status) throws IOException {
        if (status != 200) {
            throw new IOException("HTTP " + status + " for " + uri);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-1", e);
        }
    }
}
