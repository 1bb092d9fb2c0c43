package io.upki.pki.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that a reader or a crash never sees half of one: temporary file in the same folder,
 * created with its final permissions (0600 for secrets, never briefly world-readable), fsync, atomic
 * rename, fsync of the folder.
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    public static void writeSecret(Path target, byte[] content) throws IOException {
        write(target, content, SECRET, true);
    }

    public static void writePublic(Path target, byte[] content) throws IOException {
        write(target, content, PUBLIC, true);
    }

    /** Like {@link #writeSecret} but fails when the target exists, so nothing is ever overwritten. */
    public static void createSecret(Path target, byte[] content) throws IOException {
        write(target, content, SECRET, false);
    }

    private static void write(Path target, byte[] content, Set<PosixFilePermission> perms, boolean replace)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(perms));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, perms);
            if (!replace && Files.exists(target)) {
                throw new java.nio.file.FileAlreadyExistsException(target.toString());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + dir + " cannot rename atomically", e);
            }
            fsyncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes a rename durable (POSIX: the directory entry lives in the directory's own blocks). */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates a folder readable only by its owner (0700), or tightens an existing one. */
    public static Path privateDirectory(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }
}
