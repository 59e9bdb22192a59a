package dev.pgoutput.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API depends on the value mapping (a column's {@link ValueType}, the values in a row), so the value
 * mapping must not depend on the API: the two packages once imported each other through the root exception.
 */
class PackageDependencyTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/pgoutput/types");

    @Test
    void typesNeverReferToTheApiOrTheEngine() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            List<String> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(PackageDependencyTest::refersUpwards)
                    .map(f -> f.getFileName().toString())
                    .sorted()
                    .toList();
            assertEquals(List.of(), offenders);
        }
    }

    private static boolean refersUpwards(Path file) {
        try {
            String source = Files.readString(file);
            return source.contains("dev.pgoutput.api.") || source.contains("dev.pgoutput.internal.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
