package dev.wasmbridge.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NativeLoaderTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "os.name={0}, os.arch={1} -> {2}")
    @CsvSource({
        "Linux, amd64, linux-x86_64",
        "Linux, x86_64, linux-x86_64",
        "Linux, aarch64, linux-aarch64",
        "Linux, arm64, linux-aarch64",
        "Linux, riscv64, linux-riscv64",
        "Mac OS X, aarch64, macos-aarch64",
        "Mac OS X, x86_64, macos-x86_64",
        "Darwin, arm64, macos-aarch64",
        "Windows 11, amd64, windows-x86_64",
        "Windows Server 2022, aarch64, windows-aarch64",
        "FreeBSD, amd64, freebsd-x86_64",
        "Linux, i386, linux-x86_32",
        "Plan 9, MIPS-64, plan9-mips64",
    })
    void platformNames(String osName, String osArch, String expected) {
        assertEquals(expected, NativeLoader.platform(osName, osArch));
    }

    @Test
    void currentPlatformOfThisJvm() {
        String platform = NativeLoader.currentPlatform();
        assertTrue(platform.matches("[a-z0-9]+-[a-z0-9_]+"), platform);
        if (System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")) {
            assertEquals("linux-x86_64", platform);
        }
    }

    @Test
    void libraryFileNamePerOs() {
        assertEquals("libwasmbridge_jni.so", NativeLoader.libraryFileName("linux-x86_64"));
        assertEquals("libwasmbridge_jni.so", NativeLoader.libraryFileName("freebsd-x86_64"));
        assertEquals("libwasmbridge_jni.dylib", NativeLoader.libraryFileName("macos-aarch64"));
        assertEquals("wasmbridge_jni.dll", NativeLoader.libraryFileName("windows-x86_64"));
        assertEquals("/dev/wasmbridge/native/linux-aarch64/libwasmbridge_jni.so",
                NativeLoader.resourcePath("linux-aarch64"));
    }

    @Test
    void unsupportedPlatformNamesThePlatformAndTheProperty() {
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.bundledLibrary("plan9-mips"));
        assertTrue(e.getMessage().contains("plan9-mips"), e.getMessage());
        assertTrue(e.getMessage().contains(NativeLoader.LIBRARY_PATH_PROPERTY), e.getMessage());
        assertTrue(e.getMessage().contains("wasmbridge.library.path"), e.getMessage());
    }

    @Test
    void explicitPathThatDoesNotExist() {
        Path missing = tmp.resolve("nope/libwasmbridge_jni.so");
        UnsatisfiedLinkError e = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.explicitLibrary(missing.toString()));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains("wasmbridge.library.path"), e.getMessage());

        UnsatisfiedLinkError dir = assertThrows(UnsatisfiedLinkError.class,
                () -> NativeLoader.explicitLibrary(tmp.toString()));
        assertTrue(dir.getMessage().contains("not a regular file"), dir.getMessage());
    }

    @Test
    void explicitPathThatExists() throws IOException {
        Path lib = Files.write(tmp.resolve("libx.so"), new byte[] {1, 2, 3});
        assertEquals(lib.toAbsolutePath(), NativeLoader.explicitLibrary(lib.toString()));
    }

    @Test
    void versionComesFromTheBuild() {
        String version = NativeLoader.version();
        assertFalse(version.contains("${"), version);
        assertNotEquals("dev", version, "wasmbridge.properties is missing or unfiltered");
    }

    @Test
    void versionedFileName() {
        assertEquals("libwasmbridge_jni-0.1.0-SNAPSHOT-0123456789abcdef.so",
                NativeLoader.versionedFileName("libwasmbridge_jni.so", "0.1.0-SNAPSHOT", "0123456789abcdef"));
        assertEquals("wasmbridge_jni-1.0_x-00.dll",
                NativeLoader.versionedFileName("wasmbridge_jni.dll", "1.0/x", "00"));
    }

    @Test
    void extractWritesOnceAndReusesTheFile() throws IOException {
        byte[] lib = "not really a library".getBytes(StandardCharsets.UTF_8);
        Path dir = tmp.resolve("a/b");
        Path first = NativeLoader.extract(lib, "libwasmbridge_jni.so", "1.2.3", dir, true);
        String hash = NativeLoader.hex(NativeLoader.sha256(lib)).substring(0, 16);
        assertEquals(dir.toAbsolutePath().resolve("libwasmbridge_jni-1.2.3-" + hash + ".so"), first);
        assertArrayEquals(lib, Files.readAllBytes(first));
        if (Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        }

        FileTime marker = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, marker);
        Path second = NativeLoader.extract(lib, "libwasmbridge_jni.so", "1.2.3", dir, true);
        assertEquals(first, second);
        assertEquals(marker, Files.getLastModifiedTime(second), "an identical file must be reused, not rewritten");
        assertEquals(List.of(first.getFileName().toString(), first.getFileName() + ".verified"), fileNames(dir),
                "no temporary files left behind");
    }

    @Test
    void extractReplacesACorruptedFile() throws IOException {
        byte[] lib = new byte[10_000];
        for (int i = 0; i < lib.length; i++) {
            lib[i] = (byte) (i * 31);
        }
        Path file = NativeLoader.extract(lib, "libwasmbridge_jni.so", "1.2.3", tmp, false);

        byte[] sameSize = lib.clone();
        sameSize[5000] ^= 1;
        Files.write(file, sameSize);
        assertEquals(file, NativeLoader.extract(lib, "libwasmbridge_jni.so", "1.2.3", tmp, false));
        assertArrayEquals(lib, Files.readAllBytes(file));

        Files.write(file, new byte[] {1, 2, 3});
        assertEquals(file, NativeLoader.extract(lib, "libwasmbridge_jni.so", "1.2.3", tmp, false));
        assertArrayEquals(lib, Files.readAllBytes(file));
        assertEquals(List.of(file.getFileName().toString()), fileNames(tmp));
    }

    @Test
    void differentBytesGetDifferentFiles() throws IOException {
        Path a = NativeLoader.extract(new byte[] {1}, "libwasmbridge_jni.so", "1", tmp, false);
        Path b = NativeLoader.extract(new byte[] {2}, "libwasmbridge_jni.so", "1", tmp, false);
        assertNotEquals(a, b);
        assertEquals(2, fileNames(tmp).size());
    }

    @Test
    void extractRefusesADefaultDirectoryOthersMayWrite() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        assumeTrue(Files.getFileAttributeView(shared, java.nio.file.attribute.PosixFileAttributeView.class) != null);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class,
                () -> NativeLoader.extract(new byte[] {1}, "libwasmbridge_jni.so", "1", shared, true));
        assertTrue(e.getMessage().contains("other users"), e.getMessage());
    }

    @Test
    void knownHashFindsTheFileWithoutReadingTheLibrary() throws IOException {
        byte[] lib = "library bytes".getBytes(StandardCharsets.UTF_8);
        String sha = NativeLoader.hex(NativeLoader.sha256(lib));
        Path first = NativeLoader.extract(() -> new ByteArrayInputStream(lib), sha, lib.length,
                "libwasmbridge_jni.so", "1", tmp, true);
        assertArrayEquals(lib, Files.readAllBytes(first));
        assertTrue(first.getFileName().toString().contains(sha.substring(0, 16)), first.toString());

        NativeLoader.Source mustNotOpen = () -> {
            throw new AssertionError("an identical file is in place: the library must not be read");
        };
        assertEquals(first, NativeLoader.extract(mustNotOpen, sha, lib.length, "libwasmbridge_jni.so", "1", tmp, true));

        Files.write(first, "library byteZ".getBytes(StandardCharsets.UTF_8)); // same size, other bytes
        assertEquals(first, NativeLoader.extract(() -> new ByteArrayInputStream(lib), sha, lib.length,
                "libwasmbridge_jni.so", "1", tmp, true));
        assertArrayEquals(lib, Files.readAllBytes(first));
    }

    /**
     * In the private directory a file hashed once is recorded (hash, device, inode, size, change time)
     * and not hashed again while unchanged; any write to it changes its change time and voids the
     * record; elsewhere nothing is recorded.
     */
    @Test
    void aVerifiedFileIsRecordedUntilItChanges() throws IOException {
        byte[] lib = "library bytes".getBytes(StandardCharsets.UTF_8);
        String sha = NativeLoader.hex(NativeLoader.sha256(lib));
        Path file = NativeLoader.extract(() -> new ByteArrayInputStream(lib), sha, lib.length,
                "libwasmbridge_jni.so", "1", tmp, true);
        Path record = file.resolveSibling(file.getFileName() + ".verified");
        assertEquals(sha + " " + NativeLoader.identity(file) + "\n", Files.readString(record));
        assertTrue(NativeLoader.verifiedBefore(file, sha));
        assertFalse(NativeLoader.verifiedBefore(file, NativeLoader.hex(NativeLoader.sha256(new byte[] {1}))));
        Files.write(file, lib); // the same bytes written again: a change all the same
        assertFalse(NativeLoader.verifiedBefore(file, sha));
        // The next extraction hashes it, finds it right and records it again.
        assertEquals(file, NativeLoader.extract(() -> {
            throw new AssertionError("an identical file is in place: the library must not be read");
        }, sha, lib.length, "libwasmbridge_jni.so", "1", tmp, true));
        assertTrue(NativeLoader.verifiedBefore(file, sha));

        Path elsewhere = tmp.resolve("shared");
        Path other = NativeLoader.extract(() -> new ByteArrayInputStream(lib), sha, lib.length,
                "libwasmbridge_jni.so", "1", elsewhere, false);
        assertFalse(Files.exists(other.resolveSibling(other.getFileName() + ".verified")));
    }

    @Test
    void bytesThatDoNotMatchTheRecordedHashAreRefused() {
        byte[] lib = {1, 2, 3};
        String wrong = NativeLoader.hex(NativeLoader.sha256(new byte[] {4}));
        IOException e = assertThrows(IOException.class, () -> NativeLoader.extract(
                () -> new ByteArrayInputStream(lib), wrong, lib.length, "libwasmbridge_jni.so", "1", tmp, false));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertEquals(List.of(), assertDoesNotThrow(() -> fileNames(tmp)), "nothing left behind");
    }

    @Test
    void recordedHashFormats() {
        String hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        assertEquals(hex, NativeLoader.parseSha256(hex));
        assertEquals(hex, NativeLoader.parseSha256(hex.toUpperCase(java.util.Locale.ROOT) + "\n"));
        assertEquals(hex, NativeLoader.parseSha256(hex + "  libwasmbridge_jni.so\n"));
        assertNull(NativeLoader.parseSha256(hex.substring(1)));
        assertNull(NativeLoader.parseSha256(""));
        assertNull(NativeLoader.recordedSha256("/dev/wasmbridge/native/none/nothing.sha256"));
    }

    @Test
    void extractTheBundledLibrary() throws IOException {
        String platform = NativeLoader.currentPlatform();
        assumeTrue(NativeLoader.class.getResource(NativeLoader.resourcePath(platform)) != null,
                "no native library bundled for " + platform + " (was cargo skipped?)");
        assertTrue(NativeLoader.bundledPlatforms().contains(platform));
        NativeLoader.Bundled lib = NativeLoader.bundledLibrary(platform);
        assertTrue(lib.size() > 0, "size of " + lib.url());
        assertTrue(lib.sha256() != null, "the build records the SHA-256 beside " + lib.url());
        byte[] bytes;
        try (InputStream in = lib.url().openStream()) {
            bytes = in.readAllBytes();
        }
        assertEquals(lib.size(), bytes.length);
        assertEquals(NativeLoader.hex(NativeLoader.sha256(bytes)), lib.sha256());

        String version = NativeLoader.version();
        Path first = NativeLoader.extract(lib.url()::openStream, lib.sha256(), lib.size(), lib.fileName(), version,
                tmp, true);
        assertEquals(NativeLoader.versionedFileName(lib.fileName(), version, lib.sha256().substring(0, 16)),
                first.getFileName().toString());
        FileTime marker = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, marker);
        assertEquals(first, NativeLoader.extract(lib.url()::openStream, lib.sha256(), lib.size(), lib.fileName(),
                version, tmp, true));
        assertEquals(marker, Files.getLastModifiedTime(first), "reused, not rewritten");

        Files.write(first, new byte[bytes.length]); // same size, wrong bytes
        assertEquals(first, NativeLoader.extract(lib.url()::openStream, lib.sha256(), lib.size(), lib.fileName(),
                version, tmp, true));
        assertArrayEquals(bytes, Files.readAllBytes(first));
        assertEquals(List.of(first.getFileName().toString(), first.getFileName() + ".verified"), fileNames(tmp));
    }

    @Test
    void loadIsIdempotent() {
        String platform = NativeLoader.currentPlatform();
        assumeTrue(NativeLoader.class.getResource(NativeLoader.resourcePath(platform)) != null
                        || System.getProperty(NativeLoader.LIBRARY_PATH_PROPERTY) != null,
                "no native library for " + platform);
        NativeLoader.load();
        Path loaded = NativeLoader.loadedLibrary().orElseThrow();
        assertTrue(Files.isRegularFile(loaded), loaded.toString());
        NativeLoader.load();
        assertEquals(loaded, NativeLoader.loadedLibrary().orElseThrow());
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
