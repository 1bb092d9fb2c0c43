package io.upki.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vectors are found as plain files, extracted whole and unchanged from a jar, and never outside their folder. */
class ForwardAuthVectorsTest {
    @TempDir
    Path tmp;

    @Test
    void theDirectoryHoldsTheWholeReferenceSet() {
        Path dir = ForwardAuthVectors.dir();
        for (String name : List.of("vectors.json", "ca-root.crt", "ca-intermediate.crt", "crl-bundle.pem",
                "crl-root.der", "traefik.txt", "nginx.txt", "caddy.txt", "pki/client.crt", "pki/client-revoked.crt",
                "pki/client-expired.crt", "pki/client-rogue.crt", "pki/client-special.crt",
                "proxy-configs/nginx-1.22.conf", "proxy-configs/Caddyfile-2.6")) {
            assertThat(dir.resolve(name)).as(name).isRegularFile();
        }
        assertThat(ForwardAuthVectors.dir()).isSameAs(dir);
    }

    @Test
    void fromAJarEveryFileIsExtractedByteForByte() throws IOException {
        Path source = ForwardAuthVectors.dir();
        Path jar = tmp.resolve("testkit.jar");
        List<Path> files = files(source);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("io/upki/testkit/Other.txt")); // outside the vectors: left alone
            out.write(1);
            for (Path f : files) {
                out.putNextEntry(new JarEntry(ForwardAuthVectors.RESOURCE + "/" + source.relativize(f).toString()
                        .replace('\\', '/')));
                out.write(Files.readAllBytes(f));
            }
        }
        Path extracted;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            extracted = ForwardAuthVectors.locate(loader);
        }
        assertThat(extracted).isNotEqualTo(source);
        assertThat(files(extracted)).hasSameSizeAs(files); // and nothing from outside the folder
        for (Path f : files) {
            assertThat(Files.readAllBytes(extracted.resolve(source.relativize(f)))).as(f.toString())
                    .isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void aJarEntryClimbingOutOfTheFolderIsRefused() throws IOException {
        Path jar = tmp.resolve("evil.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(ForwardAuthVectors.RESOURCE + "/" + ForwardAuthVectors.MARKER));
            out.write('{');
            out.putNextEntry(new JarEntry(ForwardAuthVectors.RESOURCE + "/../../../../escaped.txt"));
            out.write('x');
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> ForwardAuthVectors.locate(loader)).isInstanceOf(UncheckedIOException.class)
                    .hasRootCauseMessage("jar entry outside the vectors directory: "
                            + ForwardAuthVectors.RESOURCE + "/../../../../escaped.txt");
        }
    }

    @Test
    void withoutTheVectorsOnTheClasspathTheErrorSaysWhatToAdd() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> ForwardAuthVectors.locate(empty)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("io.upki:upki-testkit");
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
