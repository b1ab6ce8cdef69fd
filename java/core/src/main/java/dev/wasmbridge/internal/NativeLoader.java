package dev.wasmbridge.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Finds and loads wasmbridge's native libraries into the JVM: the runtime's ({@code wasmbridge_jni}, built from
 * the Rust crate under {@code native/}) with {@link #load()}, and another of wasmbridge's libraries, such as the
 * WIT-to-Java generator's ({@code wasmbridge_bindgen_jni}, in the artifact {@code wasmbridge-bindgen}), with
 * {@link #load(String, String, Class)}, which never loads the runtime's. Each library is found and loaded the
 * same way, with a system property of its own naming its file; the runtime's is described here.
 *
 * <p>Where the library comes from, first match wins:
 * <ol>
 *   <li>the system property {@value #LIBRARY_PATH_PROPERTY}: the path of the library file itself, loaded as
 *       it is;</li>
 *   <li>the copy bundled in the jar as the resource
 *       {@code /dev/wasmbridge/native/<platform>/<file>}, where {@code <platform>} is
 *       {@code <os>-<arch>} (for example {@code linux-x86_64}, {@code macos-aarch64}, {@code windows-x86_64})
 *       and {@code <file>} is {@code libwasmbridge_jni.so}, {@code libwasmbridge_jni.dylib} or
 *       {@code wasmbridge_jni.dll}. It is extracted to a file whose name carries the wasmbridge version and
 *       the start of the SHA-256 of its bytes, in the directory named by the system property
 *       {@value #LIBRARY_DIR_PROPERTY}, or else in {@code ${java.io.tmpdir}/wasmbridge-${user.name}}. A file
 *       already there with the same bytes is reused, so a library is written once per version and
 *       machine, not once per JVM; a file whose bytes differ is replaced. The file is written under a
 *       temporary name and moved into place atomically, so JVMs that start at the same time never load a
 *       half-written library. The build records the library's SHA-256 beside it ({@code <file>.sha256}),
 *       so finding the extracted file costs one hash of that file and no read of the jar; the default
 *       directory is created private to the user, and one that another user owns or may write is refused.
 *       In that directory a record beside the file ({@code <file>.verified}: the hash, and the file's
 *       device, inode, size and change time when it was hashed) spares later JVMs the hash while the
 *       file is unchanged.
 *       </li>
 * </ol>
 *
 * <p>Every failure is reported as an {@link UnsatisfiedLinkError}, the error the JVM itself uses for a
 * library that cannot be loaded; when the failure has a cause (an {@link IOException}, say) it is attached
 * as the error's cause.
 *
 * <p>Threads: all methods may be called from any thread; {@link #load()} and {@link #load(String, String, Class)}
 * are synchronized on this class, so concurrent callers load each library exactly once. Within one JVM the library belongs to the class loader
 * that loaded this class: the JVM refuses to load the same library file from two class loaders.
 *
 * <p>This class is public only so that wasmbridge's own packages can reach it; it is not part of the
 * supported API.
 */
public final class NativeLoader {

    /**
     * Name of the system property that names the native library file to load, skipping extraction
     * from the jar: {@value}. The value is a path to the file itself (for example
     * {@code /opt/wasmbridge/libwasmbridge_jni.so}), not to a directory.
     */
    public static final String LIBRARY_PATH_PROPERTY = "wasmbridge.library.path";

    /**
     * Name of the system property that names the directory the bundled library is extracted to:
     * {@value}. The directory is created when missing. Without the property the directory is
     * {@code ${java.io.tmpdir}/wasmbridge-${user.name}}.
     */
    public static final String LIBRARY_DIR_PROPERTY = "wasmbridge.library.dir";

    /** The library's base name, as cargo names the crate's {@code [lib]}. */
    static final String BASE_NAME = "wasmbridge_jni";

    /** Where the per-platform libraries live inside the jar. */
    static final String RESOURCE_ROOT = "/dev/wasmbridge/native/";

    /** Platforms a release may bundle; listed in the error message when the current one is absent. */
    static final List<String> KNOWN_PLATFORMS = List.of(
            "linux-x86_64", "linux-aarch64", "macos-x86_64", "macos-aarch64", "windows-x86_64", "windows-aarch64");

    /** Characters of the SHA-256 (hex) that go into the extracted file's name. */
    static final int HASH_CHARS = 16;

    /** Permissions of the default extraction directory when this class creates it: {@code rwx------}. */
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    /** The runtime's library: {@value #BASE_NAME}, named by {@value #LIBRARY_PATH_PROPERTY}, bundled in core's jar. */
    static final Library LIBRARY = new Library(BASE_NAME, LIBRARY_PATH_PROPERTY, NativeLoader.class);

    /** The loaded libraries' absolute paths by base name. Guarded by the class. */
    private static final Map<String, Path> LOADED = new HashMap<>();

    /**
     * A native library of wasmbridge's.
     *
     * @param baseName its base name, as cargo names the crate's {@code [lib]} ({@code wasmbridge_jni})
     * @param pathProperty the system property that may name its file, skipping extraction
     * @param anchor a class of the jar that bundles it (its resources are looked up through this class)
     */
    record Library(String baseName, String pathProperty, Class<?> anchor) {
    }

    private NativeLoader() {
    }

    /**
     * Loads the native library into this JVM, unless it is loaded already.
     *
     * <p>The first successful call loads the library as described in the class comment; every later call
     * returns at once. A call that fails leaves nothing loaded, and a later call tries again (after the
     * cause has been fixed, for example by setting {@value #LIBRARY_PATH_PROPERTY}).
     *
     * <p>Threads: safe to call from any thread; synchronized on {@code NativeLoader.class}, so concurrent
     * first calls wait for each other and the library is loaded once.
     *
     * @throws UnsatisfiedLinkError if {@value #LIBRARY_PATH_PROPERTY} names a file that does not exist; if
     *     the jar bundles no library for this platform (the message names the platform detected and the
     *     property {@value #LIBRARY_PATH_PROPERTY}); if the library cannot be extracted (the
     *     {@link IOException} is the cause); or if the JVM cannot load the library file
     * @throws SecurityException if a security manager forbids reading the properties, writing the file or
     *     loading the library
     */
    public static synchronized void load() {
        load(LIBRARY);
    }

    /**
     * Loads another native library of wasmbridge's into this JVM, unless it is loaded already: found as
     * {@link #load()} finds the runtime's (the system property {@code pathProperty} naming its file, else the
     * copy bundled beside {@code anchor} at {@code /dev/wasmbridge/native/<platform>/}, extracted into the same
     * directory), without loading the runtime's library.
     *
     * <p>Threads: safe to call from any thread; synchronized on {@code NativeLoader.class}, so concurrent
     * first calls wait for each other and the library is loaded once.
     *
     * @param baseName the library's base name, as cargo names its crate's {@code [lib]} ({@code
     *     wasmbridge_bindgen_jni} for {@code libwasmbridge_bindgen_jni.so})
     * @param pathProperty the system property that may name the library's file
     * @param anchor a class of the jar that bundles the library
     * @throws UnsatisfiedLinkError as {@link #load()} does, for this library and property
     * @throws SecurityException as {@link #load()} does
     * @throws NullPointerException if an argument is null
     */
    public static void load(String baseName, String pathProperty, Class<?> anchor) {
        load(new Library(Objects.requireNonNull(baseName, "baseName"),
                Objects.requireNonNull(pathProperty, "pathProperty"), Objects.requireNonNull(anchor, "anchor")));
    }

    private static synchronized void load(Library lib) {
        if (LOADED.containsKey(lib.baseName())) {
            return;
        }
        boolean explicit = isSet(System.getProperty(lib.pathProperty()));
        Path library = locate(lib);
        try {
            System.load(library.toString());
        } catch (UnsatisfiedLinkError e) {
            throw linkError("wasmbridge: the JVM could not load the native library " + library + ": "
                    + e.getMessage() + (explicit ? "" : " (if its directory is on a file system mounted noexec, "
                    + "set the system property " + LIBRARY_DIR_PROPERTY + " to another directory)"), e);
        }
        LOADED.put(lib.baseName(), library);
    }

    /**
     * Tells which library file {@link #load()} loaded, if it has.
     *
     * <p>Threads: safe to call from any thread; synchronized on {@code NativeLoader.class}.
     *
     * @return the absolute path of the loaded library file, or empty when {@link #load()} has not yet
     *     succeeded in this class loader
     */
    public static synchronized Optional<Path> loadedLibrary() {
        return loadedLibrary(BASE_NAME);
    }

    /**
     * Tells which file of a library {@link #load(String, String, Class)} (or {@link #load()}) loaded, if one did.
     *
     * <p>Threads: safe to call from any thread; synchronized on {@code NativeLoader.class}.
     *
     * @param baseName the library's base name ({@code wasmbridge_jni}, {@code wasmbridge_bindgen_jni})
     * @return the absolute path of the loaded library file, or empty when it is not loaded in this class loader
     */
    public static synchronized Optional<Path> loadedLibrary(String baseName) {
        return Optional.ofNullable(LOADED.get(baseName));
    }

    /**
     * Names the platform this JVM runs on the way the jar's native directories are named.
     *
     * <p>Threads: safe to call from any thread; it only reads the system properties {@code os.name} and
     * {@code os.arch}.
     *
     * @return {@code <os>-<arch>}, for example {@code linux-x86_64}, {@code linux-aarch64},
     *     {@code macos-aarch64} or {@code windows-x86_64}; an operating system or architecture with no
     *     usual name here appears lower-cased, keeping only letters, digits and underscores
     */
    public static String currentPlatform() {
        return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    // ---------------------------------------------------------------------------------------------
    // Steps of load(), each testable without System.load.

    /** Decides which file to load: the property's, or the bundled one extracted. Loads nothing. */
    private static Path locate(Library lib) {
        String explicit = System.getProperty(lib.pathProperty());
        if (isSet(explicit)) {
            return explicitLibrary(lib, explicit);
        }
        Bundled bundled = bundledLibrary(lib, currentPlatform());
        String dirProperty = System.getProperty(LIBRARY_DIR_PROPERTY);
        boolean defaultDir = !isSet(dirProperty);
        Path dir = defaultDir ? defaultExtractionDir() : Paths.get(dirProperty.trim());
        try {
            return extract(bundled.url::openStream, bundled.sha256, bundled.size, bundled.fileName, version(), dir,
                    defaultDir);
        } catch (IOException | RuntimeException e) {
            throw linkError("wasmbridge: could not extract the native library " + bundled.url + " to " + dir
                    + " (" + e + "); set the system property " + LIBRARY_DIR_PROPERTY
                    + " to a writable directory, or " + lib.pathProperty() + " to the library file", e);
        }
    }

    /**
     * Checks the file named by {@value #LIBRARY_PATH_PROPERTY}.
     *
     * @return its absolute path
     * @throws UnsatisfiedLinkError if it is not an existing regular file
     */
    static Path explicitLibrary(String value) {
        return explicitLibrary(LIBRARY, value);
    }

    private static Path explicitLibrary(Library lib, String value) {
        Path path;
        try {
            path = Paths.get(value.trim()).toAbsolutePath();
        } catch (RuntimeException e) {
            throw linkError("wasmbridge: the system property " + lib.pathProperty() + " = '" + value
                    + "' is not a valid path", e);
        }
        if (!Files.isRegularFile(path)) {
            throw new UnsatisfiedLinkError("wasmbridge: the system property " + lib.pathProperty() + " names "
                    + path + ", which " + (Files.exists(path) ? "is not a regular file" : "does not exist")
                    + "; it must name the native library file itself ("
                    + libraryFileName(lib.baseName(), currentPlatform())
                    + " on this platform)");
        }
        return path;
    }

    /** {@code <os>-<arch>} from the values of {@code os.name} and {@code os.arch}. */
    static String platform(String osName, String osArch) {
        return normalizeOs(osName) + "-" + normalizeArch(osArch);
    }

    static String normalizeOs(String osName) {
        String os = osName.toLowerCase(Locale.ROOT).trim();
        if (os.startsWith("linux")) {
            return "linux";
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "macos";
        }
        if (os.startsWith("windows")) {
            return "windows";
        }
        if (os.startsWith("freebsd")) {
            return "freebsd";
        }
        if (os.startsWith("sunos") || os.startsWith("solaris")) {
            return "solaris";
        }
        return clean(os);
    }

    static String normalizeArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT).trim();
        switch (arch) {
            case "amd64":
            case "x86_64":
            case "x86-64":
            case "x64":
            case "em64t":
                return "x86_64";
            case "aarch64":
            case "arm64":
                return "aarch64";
            case "x86":
            case "i386":
            case "i486":
            case "i586":
            case "i686":
                return "x86_32";
            case "riscv64":
                return "riscv64";
            case "ppc64le":
                return "ppc64le";
            case "s390x":
                return "s390x";
            default:
                return clean(arch);
        }
    }

    private static String clean(String s) {
        String cleaned = s.replaceAll("[^a-z0-9_]", "");
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }

    /** The library's file name on a platform: {@code libX.so}, {@code libX.dylib} or {@code X.dll}. */
    static String libraryFileName(String platform) {
        return libraryFileName(BASE_NAME, platform);
    }

    private static String libraryFileName(String baseName, String platform) {
        if (platform.startsWith("windows-")) {
            return baseName + ".dll";
        }
        if (platform.startsWith("macos-")) {
            return "lib" + baseName + ".dylib";
        }
        return "lib" + baseName + ".so";
    }

    /** The resource path of the bundled library for a platform. */
    static String resourcePath(String platform) {
        return resourcePath(BASE_NAME, platform);
    }

    private static String resourcePath(String baseName, String platform) {
        return RESOURCE_ROOT + platform + "/" + libraryFileName(baseName, platform);
    }

    /**
     * The library bundled for a platform, with what the build recorded about it.
     *
     * @param url where the library is
     * @param fileName its file name ({@link #libraryFileName})
     * @param sha256 its SHA-256 in lower-case hex, from the {@code .sha256} file the build writes beside it;
     *     {@code null} without one (then extraction hashes the library itself)
     * @param size its length in bytes, or -1 if unknown
     */
    record Bundled(URL url, String fileName, String sha256, long size) {
    }

    /**
     * Finds the library bundled for {@code platform}, without reading it.
     *
     * @throws UnsatisfiedLinkError if none is bundled (the message names the platform and
     *     {@value #LIBRARY_PATH_PROPERTY})
     */
    static Bundled bundledLibrary(String platform) {
        return bundledLibrary(LIBRARY, platform);
    }

    private static Bundled bundledLibrary(Library lib, String platform) {
        String resource = resourcePath(lib.baseName(), platform);
        URL url = lib.anchor().getResource(resource);
        if (url == null) {
            throw unsupportedPlatform(lib, platform, resource);
        }
        long size = -1;
        try {
            size = url.openConnection().getContentLengthLong();
        } catch (IOException e) {
            // Unknown size: the hash alone decides.
        }
        return new Bundled(url, libraryFileName(lib.baseName(), platform),
                recordedSha256(lib.anchor(), resource + ".sha256"), size);
    }

    /** The SHA-256 recorded in a {@code .sha256} resource (hex, maybe followed by a file name), or null. */
    static String recordedSha256(String resource) {
        return recordedSha256(NativeLoader.class, resource);
    }

    private static String recordedSha256(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            return parseSha256(new String(in.readNBytes(4096), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return null;
        }
    }

    /** The hash in a checksum file's text ({@code <hex>} or {@code <hex>  <name>}), lower-cased; or null. */
    static String parseSha256(String text) {
        String hash = text.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return hash.matches("[0-9a-f]{64}") ? hash : null;
    }

    /** The error for a platform the jar has no library for. */
    static UnsatisfiedLinkError unsupportedPlatform(String platform, String resource) {
        return unsupportedPlatform(LIBRARY, platform, resource);
    }

    private static UnsatisfiedLinkError unsupportedPlatform(Library lib, String platform, String resource) {
        List<String> bundled = bundledPlatforms(lib);
        return new UnsatisfiedLinkError("wasmbridge: no native library for platform " + platform
                + " (os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch")
                + "): this jar has no resource " + resource + "; it bundles "
                + (bundled.isEmpty() ? "no native library at all" : "libraries for " + String.join(", ", bundled))
                + ". Build " + lib.baseName() + " for this platform and set the system property "
                + lib.pathProperty() + " to the library file.");
    }

    /** The platforms of {@link #KNOWN_PLATFORMS} whose library this class can see. */
    static List<String> bundledPlatforms() {
        return bundledPlatforms(LIBRARY);
    }

    private static List<String> bundledPlatforms(Library lib) {
        List<String> found = new ArrayList<>();
        for (String p : KNOWN_PLATFORMS) {
            if (lib.anchor().getResource(resourcePath(lib.baseName(), p)) != null) {
                found.add(p);
            }
        }
        return found;
    }

    /** wasmbridge's version, from the {@code wasmbridge.properties} the build writes; "dev" without it. */
    static String version() {
        try (InputStream in = NativeLoader.class.getResourceAsStream("wasmbridge.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException e) {
            // An unreadable version only makes the file name less telling; the hash still keeps it right.
        }
        return "dev";
    }

    /** {@code ${java.io.tmpdir}/wasmbridge-${user.name}}. */
    static Path defaultExtractionDir() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        return Paths.get(System.getProperty("java.io.tmpdir"), "wasmbridge-" + user);
    }

    /**
     * The extracted file's name: the library file name with {@code -<version>-<hash>} before its extension,
     * for example {@code libwasmbridge_jni-0.1.0-SNAPSHOT-0123456789abcdef.so}.
     */
    static String versionedFileName(String fileName, String version, String hash) {
        int dot = fileName.lastIndexOf('.');
        String stem = dot < 0 ? fileName : fileName.substring(0, dot);
        String ext = dot < 0 ? "" : fileName.substring(dot);
        String safeVersion = version.replaceAll("[^A-Za-z0-9._-]", "_");
        return stem + "-" + safeVersion + "-" + hash + ext;
    }

    /** Opens the library's bytes; called at most once per extraction. */
    @FunctionalInterface
    interface Source {
        /**
         * Opens the bytes.
         *
         * @return a fresh stream over the library
         * @throws IOException if it cannot be opened
         */
        InputStream open() throws IOException;
    }

    /**
     * Makes sure {@code dir} holds a file with exactly the library's bytes under the versioned name, writing
     * it only when no identical file is there. Loads nothing.
     *
     * <p>With {@code sha256} known (recorded by the build) an identical file already in place is found
     * without reading the library at all: only the file on disk is hashed. Without it the library is first
     * copied to a temporary file, hashed on the way, and the copy is dropped if an identical file exists.
     * Either way the library streams through a small buffer, never whole into the heap.
     *
     * @param source the library's bytes
     * @param sha256 the library's SHA-256 in lower-case hex, or {@code null} if unknown
     * @param size the library's length in bytes, or -1 if unknown
     * @param fileName the library's own file name ({@link #libraryFileName})
     * @param version wasmbridge's version, for the file name
     * @param dir where to put the file; created when missing
     * @param checkOwnership whether to refuse a directory that this process's user does not own, or that
     *     others may write to (done for the shared default directory under {@code java.io.tmpdir})
     * @return the absolute path of the file, whose content is the library's
     * @throws IOException if the directory or file cannot be created, read or written, or the library's
     *     bytes do not match {@code sha256}
     */
    static Path extract(Source source, String sha256, long size, String fileName, String version, Path dir,
            boolean checkOwnership) throws IOException {
        Path absDir = dir.toAbsolutePath();
        createDirectory(absDir, checkOwnership);
        if (checkOwnership) {
            checkPrivate(absDir, null);
        }
        if (sha256 != null) {
            Path target = absDir.resolve(versionedFileName(fileName, version, sha256.substring(0, HASH_CHARS)));
            // In the private default directory a file this class hashed before, unchanged since, is not
            // hashed again (a third of a short program's start-up for Wasmtime's 30 MB).
            if (checkOwnership && verifiedBefore(target, sha256)) {
                return checked(absDir, target, true);
            }
            if (sameContent(target, size, unhex(sha256))) {
                if (checkOwnership) {
                    recordVerified(target, sha256);
                }
                return checked(absDir, target, checkOwnership);
            }
        }
        Path tmp = Files.createTempFile(absDir, fileName + ".", ".tmp");
        try {
            MessageDigest md = newSha256();
            long written;
            try (InputStream in = new DigestInputStream(source.open(), md);
                    OutputStream out = Files.newOutputStream(tmp)) {
                written = in.transferTo(out);
            }
            byte[] digest = md.digest();
            String hash = hex(digest);
            if (sha256 != null && !hash.equals(sha256)) {
                throw new IOException("the bundled library's SHA-256 is " + hash + ", not " + sha256
                        + " as recorded beside it: the jar is damaged");
            }
            Path target = absDir.resolve(versionedFileName(fileName, version, hash.substring(0, HASH_CHARS)));
            if (sha256 == null && sameContent(target, written, digest)) {
                return checked(absDir, target, checkOwnership);
            }
            moveIntoPlace(tmp, target, written, digest);
            if (checkOwnership) {
                recordVerified(target, hash);
            }
            return checked(absDir, target, checkOwnership);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #extract} for bytes already in memory (tests, mostly). */
    static Path extract(byte[] bytes, String fileName, String version, Path dir, boolean checkOwnership)
            throws IOException {
        return extract(() -> new ByteArrayInputStream(bytes), null, bytes.length, fileName, version, dir,
                checkOwnership);
    }

    private static Path checked(Path dir, Path target, boolean checkOwnership) throws IOException {
        if (checkOwnership) {
            checkPrivate(dir, target);
        }
        return target;
    }

    /** Renames {@code tmp} to {@code target} atomically, replacing a file there, and checks the result. */
    private static void moveIntoPlace(Path tmp, Path target, long size, byte[] digest) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Where a move cannot replace an existing file (Windows, while another JVM has it loaded), the
            // file is fine if another JVM has put the same bytes there meanwhile.
            if (!sameContent(target, size, digest)) {
                throw e;
            }
        }
        if (!sameContent(target, size, digest)) {
            throw new IOException(target + " does not hold the bundled library's bytes after writing it");
        }
    }

    /** Creates {@code dir} (and its parents) when missing; only its owner may use it if {@code ownerOnly}. */
    private static void createDirectory(Path dir, boolean ownerOnly) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean posix = Files.getFileAttributeView(parent == null ? dir : parent, PosixFileAttributeView.class) != null;
        try {
            if (ownerOnly && posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
            // Another JVM made it first.
        }
    }

    /**
     * For the shared default directory under {@code java.io.tmpdir}: whoever can replace the library file
     * between its check and {@code System.load} can run code in this JVM, so refuse a directory that is a
     * symbolic link, that other users may write to, or that is owned by another user, and a library file
     * owned by another user ({@code file} may be {@code null} to check only the directory). Does nothing
     * where the file system has no POSIX permissions (Windows, whose temporary directories are per user
     * anyway).
     */
    private static void checkPrivate(Path dir, Path file) throws IOException {
        PosixFileAttributeView view =
                Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        PosixFileAttributes attrs = view.readAttributes();
        if (attrs.isSymbolicLink()) {
            throw new IOException(dir + " is a symbolic link");
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " may be written by other users (" + PosixFilePermissions.toString(perms)
                    + ")");
        }
        // Who "this process's user" is, as the file system names it: the owner of a file it creates.
        UserPrincipal me;
        Path probe = Files.createTempFile(dir, ".owner-probe", ".tmp");
        try {
            me = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
        for (Path p : file == null ? List.of(dir) : List.of(dir, file)) {
            UserPrincipal owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(me)) {
                throw new IOException(p + " belongs to " + owner.getName() + ", not to this process's user "
                        + me.getName());
            }
        }
    }

    /**
     * Whether {@code file} is a regular file of {@code size} bytes (any size if -1) whose SHA-256 is
     * {@code digest}.
     */
    /**
     * What identifies a file's current content without reading it: its device, inode, size and change
     * time ({@code ctime}, which every write or rename sets and nobody can set back), or null where the
     * file system does not say.
     */
    static String identity(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:dev,ino,size,ctime", LinkOption.NOFOLLOW_LINKS);
            Object ctime = a.get("ctime");
            long nanos = ctime instanceof FileTime ? ((FileTime) ctime).to(TimeUnit.NANOSECONDS) : -1;
            return a.get("dev") + ":" + a.get("ino") + ":" + a.get("size") + ":" + nanos;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The record beside {@code target} saying its content was hashed: {@code <target>.verified}. */
    private static Path verifiedRecord(Path target) {
        return target.resolveSibling(target.getFileName() + ".verified");
    }

    /**
     * Whether {@code target} was hashed to {@code sha256} by an earlier JVM and has not changed since
     * ({@link #identity} as recorded then).
     */
    static boolean verifiedBefore(Path target, String sha256) {
        String id = identity(target);
        if (id == null) {
            return false;
        }
        try {
            return Files.readString(verifiedRecord(target)).equals(sha256 + " " + id + "\n");
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    /** Records that {@code target} holds the bytes of {@code sha256} now; best effort. */
    static void recordVerified(Path target, String sha256) {
        String id = identity(target);
        if (id == null) {
            return;
        }
        Path record = verifiedRecord(target);
        try {
            Path tmp = Files.createTempFile(target.getParent(), record.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, sha256 + " " + id + "\n");
                Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // no record: the next JVM hashes the file again
        }
    }

    static boolean sameContent(Path file, long size, byte[] digest) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || (size >= 0 && Files.size(file) != size)) {
            return false;
        }
        MessageDigest md = newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return Arrays.equals(md.digest(), digest);
    }

    static byte[] unhex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static boolean isSet(String property) {
        return property != null && !property.isBlank();
    }

    private static UnsatisfiedLinkError linkError(String message, Throwable cause) {
        UnsatisfiedLinkError error = new UnsatisfiedLinkError(message);
        error.initCause(cause);
        return error;
    }

}
