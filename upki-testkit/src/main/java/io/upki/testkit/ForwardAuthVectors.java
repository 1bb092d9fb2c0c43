package io.upki.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The forward-auth reference vectors (test PKI, CRLs, proxy header values and decisions) as a directory of
 * plain files, since the code under test reads trust anchors, CRLs and PEM files by path.
 */
public final class ForwardAuthVectors {
    /** Where the vectors are on the classpath. */
    static final String RESOURCE = "io/upki/testkit/forward-auth";
    /** A file every copy of the vectors has; finds the directory (or the jar) they are in. */
    static final String MARKER = "vectors.json";

    private static Path dir;

    private ForwardAuthVectors() {
    }

    /**
     * The directory holding the vectors: this module's {@code target/classes} copy when it is on the
     * classpath as a folder (a reactor build up to {@code test}), else a copy extracted once per JVM from
     * the jar into a temporary directory that is removed when the JVM exits.
     */
    public static synchronized Path dir() {
        if (dir == null) {
            dir = locate(ForwardAuthVectors.class.getClassLoader());
        }
        return dir;
    }

    /** Finds the vectors through {@code loader}; extracts them when they are inside a jar. */
    static Path locate(ClassLoader loader) {
        URL marker = loader.getResource(RESOURCE + "/" + MARKER);
        if (marker == null) {
            throw new IllegalStateException(RESOURCE + "/" + MARKER + " is not on the classpath: add the"
                    + " io.upki:upki-testkit dependency (scope test)");
        }
        try {
            return switch (marker.getProtocol()) {
                case "file" -> Path.of(marker.toURI()).getParent();
                case "jar" -> extract(((JarURLConnection) marker.openConnection()).getJarFileURL());
                default -> throw new IllegalStateException("cannot read the vectors from " + marker);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vectors from " + marker, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read the vectors from " + marker, e);
        }
    }

    /** Copies every entry under {@link #RESOURCE} of the jar at {@code jarUrl} into a new temporary directory. */
    private static Path extract(URL jarUrl) throws IOException, URISyntaxException {
        Path target = Files.createTempDirectory("upki-forward-auth-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(target), "upki-testkit-cleanup"));
        String prefix = RESOURCE + "/";
        try (JarFile jar = new JarFile(Path.of(jarUrl.toURI()).toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().startsWith(prefix)) {
                    continue;
                }
                Path out = target.resolve(entry.getName().substring(prefix.length())).normalize();
                // An entry named with "../" must not land outside the directory (a "zip slip").
                if (!out.startsWith(target)) {
                    throw new IOException("jar entry outside the vectors directory: " + entry.getName());
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, out);
                }
            }
        }
        if (!Files.isRegularFile(target.resolve(MARKER))) {
            throw new IOException(jarUrl + " has no " + prefix + MARKER);
        }
        return target;
    }

    private static void deleteTree(Path root) {
        // Best effort at JVM exit: a left-over copy in the temporary directory harms nothing.
        TempFolder.delete(root, "ForwardAuthVectors");
    }
}
