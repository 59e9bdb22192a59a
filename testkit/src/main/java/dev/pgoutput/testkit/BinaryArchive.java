package dev.pgoutput.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;

/**
 * Where the {@code postgres-linux-x86_64.txz} archive of one zonky version can be read.
 *
 * @param zonkyVersion the artifact version, for example {@code 17.11.0}
 * @param url a {@code jar:} URL of the archive entry
 * @param origin how it was found, for log messages
 */
record BinaryArchive(String zonkyVersion, URL url, String origin) {

    /** Opens the compressed archive. */
    InputStream open() throws IOException {
        URLConnection connection = url.openConnection();
        // The JDK caches JarFile instances behind jar: URLs; we read each archive once, so the
        // cache would only hold a file handle open for the rest of the run.
        connection.setUseCaches(false);
        return connection.getInputStream();
    }
}
