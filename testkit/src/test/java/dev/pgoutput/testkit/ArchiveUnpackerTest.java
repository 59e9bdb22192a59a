package dev.pgoutput.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ArchiveUnpackerTest {

    @TempDir Path temp;

    @Test
    void keepsSymlinksAndExecBitsAndOpensEverythingToOtherUsers() throws Exception {
        Path archive =
                txz(
                        tar -> {
                            directory(tar, "bin/", 0700);
                            file(tar, "bin/postgres", 0700, "#!/bin/sh\n");
                            directory(tar, "lib/", 0700);
                            file(tar, "lib/libpq.so.5.17", 0600, "elf");
                            symlink(tar, "lib/libpq.so.5", "libpq.so.5.17");
                            symlink(tar, "lib/libpq.so", "libpq.so.5");
                        });

        Path home = new ArchiveUnpacker(temp.resolve("cache")).unpackOnce(archive("9.9.9", archive));

        assertEquals(temp.resolve("cache/pg-9.9.9"), home);
        assertEquals("rwxr-xr-x", mode(home.resolve("bin/postgres")));
        assertEquals("rw-r--r--", mode(home.resolve("lib/libpq.so.5.17")));
        assertEquals("rwxr-xr-x", mode(home.resolve("bin")));
        assertEquals("rwxr-xr-x", mode(home.resolve("lib")));
        assertEquals("rwxr-xr-x", mode(temp.resolve("cache")));
        assertTrue(Files.isSymbolicLink(home.resolve("lib/libpq.so")));
        assertEquals(Path.of("libpq.so.5"), Files.readSymbolicLink(home.resolve("lib/libpq.so")));
        assertEquals("elf", Files.readString(home.resolve("lib/libpq.so")));
    }

    @Test
    void unpacksOnceWhenManyThreadsAskAtTheSameTime() throws Exception {
        Path archive = txz(tar -> file(tar, "bin/postgres", 0755, "x"));
        ArchiveUnpacker unpacker = new ArchiveUnpacker(temp.resolve("cache"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Path> task = () -> unpacker.unpackOnce(archive("1.2.3", archive));
                results.add(pool.submit(task));
            }
            for (Future<Path> result : results) {
                assertEquals(temp.resolve("cache/pg-1.2.3"), result.get());
            }
        } finally {
            pool.shutdown();
        }
        try (Stream<Path> entries = Files.list(temp.resolve("cache"))) {
            // The installation and its lock file; no temporary directory is left behind.
            assertEquals(
                    List.of("pg-1.2.3", "pg-1.2.3.lock"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void refusesEntriesThatEscapeTheInstallation() throws Exception {
        Path escaping = txz(tar -> file(tar, "bin/../../evil", 0644, "x"));
        UncheckedIOException e =
                assertThrows(
                        UncheckedIOException.class,
                        () -> new ArchiveUnpacker(temp.resolve("a")).unpackOnce(archive("1.0.0", escaping)));
        assertTrue(e.getCause().getMessage().contains("escapes"), e.getCause().getMessage());
        assertFalse(Files.exists(temp.resolve("evil")));
        assertFalse(Files.exists(temp.resolve("a/pg-1.0.0")));

        Path linkOut = txz(tar -> symlink(tar, "lib/etc", "../../../../etc"));
        assertThrows(
                UncheckedIOException.class,
                () -> new ArchiveUnpacker(temp.resolve("b")).unpackOnce(archive("1.0.0", linkOut)));
        assertFalse(Files.exists(temp.resolve("b/pg-1.0.0"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void widensModesForOtherUsers() {
        assertEquals(0755, ArchiveUnpacker.readableByEveryone(0700));
        assertEquals(0644, ArchiveUnpacker.readableByEveryone(0600));
        assertEquals(0755, ArchiveUnpacker.readableByEveryone(0755));
        assertEquals(0444, ArchiveUnpacker.readableByEveryone(0400));
        assertEquals(0754 | 0111, ArchiveUnpacker.readableByEveryone(0750));
    }

    private static BinaryArchive archive(String version, Path txz) throws IOException {
        return new BinaryArchive(version, txz.toUri().toURL(), "test");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private interface TarContent {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    private Path txz(TarContent content) throws IOException {
        Path file = Files.createTempFile(temp, "archive", ".txz");
        try (OutputStream out = Files.newOutputStream(file);
                XZOutputStream xz = new XZOutputStream(out, new LZMA2Options());
                TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
            content.write(tar);
        }
        return file;
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, int mode, String text)
            throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        entry.setSize(bytes.length);
        tar.putArchiveEntry(entry);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    private static void symlink(TarArchiveOutputStream tar, String name, String target)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }
}
