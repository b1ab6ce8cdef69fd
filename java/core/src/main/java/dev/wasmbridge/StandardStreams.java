package dev.wasmbridge;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Whether file descriptors 0, 1 and 2 are still the standard streams the process was started with,
 * for the "inherit" stdio modes of WASI.
 *
 * <p>A descriptor that was closed when the JVM started is reused by the first file the JVM opens
 * itself: its module image ({@code lib/modules}) or a jar of its class path. Inheriting such a
 * descriptor would hand that file to the guest as its stdin (or take the guest's output), so a
 * descriptor that is closed, or holds one of those files, is not inherited: the guest gets what
 * Wasmtime's command line gives it there (Rust's runtime reopens a closed standard descriptor on
 * {@code /dev/null}): end of file on stdin, output discarded. Each descriptor is looked at once, the
 * first time any store inherits one, and remembered by its file identity (device and inode): a
 * descriptor that holds another file at a later call has been closed and reused since, and is not
 * inherited either. Where {@code /proc/self/fd} does not exist the descriptors are taken as they
 * are.
 *
 * <p>Limit: a file the application itself opened on a closed descriptor before that first look
 * cannot be told from a redirection by the parent process.
 *
 * <p>Thread safety: safe from any thread (the first look happens once).
 */
final class StandardStreams {
    private static final Path FDS = Path.of("/proc/self/fd");

    private StandardStreams() {
    }

    /** The identities of descriptors 0, 1 and 2 at the first look; null where not a standard stream. */
    private static final class Holder {
        static final boolean PROC = Files.isDirectory(FDS);
        static final Object[] STANDARD = look();
    }

    /**
     * Whether descriptor {@code fd} (0, 1 or 2) is the standard stream the process was started with.
     *
     * @param fd 0, 1 or 2
     * @return false if it was closed at start-up, holds a file the JVM opened itself, or has been
     *     replaced since the first look
     */
    static boolean inherited(int fd) {
        Objects.checkIndex(fd, 3);
        if (!Holder.PROC) {
            return true;
        }
        Object key = Holder.STANDARD[fd];
        return key != null && key.equals(identity(fd));
    }

    private static Object[] look() {
        Set<Object> jvmFiles = new HashSet<>();
        addFile(jvmFiles, Path.of(System.getProperty("java.home", ""), "lib", "modules").toString());
        for (String property : new String[] {"java.class.path", "jdk.module.path"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                for (String entry : value.split(File.pathSeparator)) {
                    addFile(jvmFiles, entry);
                }
            }
        }
        Object[] standard = new Object[3];
        for (int fd = 0; fd < 3; fd++) {
            Object key = identity(fd);
            standard[fd] = key == null || jvmFiles.contains(key) ? null : key;
        }
        return standard;
    }

    /** Adds the identity of {@code file} when it is a regular file (the JVM keeps those open). */
    private static void addFile(Set<Object> keys, String file) {
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
            if (a.isRegularFile() && a.fileKey() != null) {
                keys.add(a.fileKey());
            }
        } catch (IOException | InvalidPathException | SecurityException e) {
            // not there, or not ours to look at: nothing the JVM holds open
        }
    }

    /** The file identity behind descriptor {@code fd}, or null if it is closed. */
    private static Object identity(int fd) {
        try {
            return Files.readAttributes(FDS.resolve(Integer.toString(fd)), BasicFileAttributes.class).fileKey();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
