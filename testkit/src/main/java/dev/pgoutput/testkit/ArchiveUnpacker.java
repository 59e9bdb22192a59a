package dev.pgoutput.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks a zonky {@code .txz} archive into {@code <cache root>/pg-<version>} once per machine.
 *
 * <p>The archive is unpacked into a temporary sibling and renamed into place, so the target
 * directory either does not exist or is complete. A file lock next to it serialises JVMs that
 * start at the same time; the loser finds the finished directory and uses it.
 *
 * <p>Symbolic links (the archive links {@code lib/*.so} names to each other) and exec bits are
 * kept. Everything is made world-readable, and directories and executables world-executable,
 * because the server may run as {@code nobody} while the cache was written by root.
 */
final class ArchiveUnpacker {

    /** FileChannel locks are held per JVM, not per thread: threads must queue on this first. */
    private static final Object IN_PROCESS_LOCK = new Object();

    private static final Set<PosixFilePermission> DIRECTORY_MODE =
            PosixPermissions.fromMode(0755);

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveUnpacker.class);

    private final Path cacheRoot;

    ArchiveUnpacker(Path cacheRoot) {
        this.cacheRoot = cacheRoot.toAbsolutePath().normalize();
    }

    /** The directory an archive of {@code zonkyVersion} is (or will be) unpacked into. */
    Path installationDirectory(String zonkyVersion) {
        return cacheRoot.resolve("pg-" + zonkyVersion);
    }

    /** Returns the unpacked installation, unpacking the archive if no other run did. */
    Path unpackOnce(BinaryArchive archive) {
        Path target = installationDirectory(archive.zonkyVersion());
        if (isComplete(target)) {
            return target;
        }
        synchronized (IN_PROCESS_LOCK) {
            try {
                createSharedDirectories(cacheRoot);
                Path lockFile = cacheRoot.resolve("pg-" + archive.zonkyVersion() + ".lock");
                try (FileChannel channel =
                        FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    channel.lock(); // held until the channel closes
                    if (isComplete(target)) {
                        return target;
                    }
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw new IllegalStateException(
                                target + " exists but holds no bin/postgres; delete it to unpack again");
                    }
                    deleteAbandonedTemporaries(archive.zonkyVersion());
                    unpackAtomically(archive, target);
                    return target;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot unpack " + archive.url() + " into " + target, e);
            }
        }
    }

    private void unpackAtomically(BinaryArchive archive, Path target) throws IOException {
        long started = System.nanoTime();
        Path temp = Files.createTempDirectory(cacheRoot, temporaryPrefix(archive.zonkyVersion()));
        try {
            extract(archive, temp);
            makeDirectoriesTraversable(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(temp, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.deleteRecursively(temp);
            }
        }
        LOG.info(
                "Unpacked PostgreSQL binaries {} from {} into {} in {} ms",
                archive.zonkyVersion(),
                archive.origin(),
                target,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static void extract(BinaryArchive archive, Path root) throws IOException {
        try (InputStream raw = archive.open();
                InputStream xz = new XZInputStream(new BufferedInputStream(raw, 1 << 16));
                TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path destination = insideRoot(root, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(destination.getParent());
                    Path linkTarget = Path.of(entry.getLinkName());
                    // A link that points outside the installation would let a later entry write anywhere.
                    if (!destination.getParent().resolve(linkTarget).normalize().startsWith(root)) {
                        throw new IOException(
                                "Archive link escapes the installation directory: " + entry.getName());
                    }
                    Files.createSymbolicLink(destination, linkTarget);
                } else if (entry.isLink()) {
                    Files.createDirectories(destination.getParent());
                    Files.createLink(destination, insideRoot(root, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination);
                    Files.setPosixFilePermissions(
                            destination, PosixPermissions.fromMode(readableByEveryone(entry.getMode())));
                }
                // Device files and FIFOs do not occur in these archives and are skipped.
            }
        }
    }

    /** Keeps the owner's bits, adds read for all, and execute for all where anyone had it. */
    static int readableByEveryone(int mode) {
        int widened = (mode & 0777) | 0444;
        if ((mode & 0111) != 0) {
            widened |= 0111;
        }
        return widened;
    }

    private static Path insideRoot(Path root, String name) throws IOException {
        Path resolved = root.resolve(name).normalize();
        if (!resolved.startsWith(root)) {
            throw new IOException("Archive entry escapes the installation directory: " + name);
        }
        return resolved;
    }

    private static void makeDirectoriesTraversable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(path, DIRECTORY_MODE);
                }
            }
        }
    }

    private void deleteAbandonedTemporaries(String zonkyVersion) throws IOException {
        // Only the lock holder creates temporaries, so any found now belong to a JVM that died.
        try (DirectoryStream<Path> stale =
                Files.newDirectoryStream(cacheRoot, temporaryPrefix(zonkyVersion) + "*")) {
            for (Path path : stale) {
                LOG.debug("Deleting abandoned {}", path);
                FileTrees.deleteRecursively(path);
            }
        }
    }

    private static String temporaryPrefix(String zonkyVersion) {
        return "pg-" + zonkyVersion + ".unpacking-";
    }

    private static boolean isComplete(Path installation) {
        return Files.isRegularFile(installation.resolve("bin").resolve("postgres"));
    }

    private static void createSharedDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Files.createDirectories(directory);
        // Created by us: make it usable by the unprivileged server account whatever the umask.
        Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
    }
}
