package dev.wasmbridge.component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Generates typed Java bindings from WIT: Java sources for the interfaces, types and resources of a WIT
 * world, in the shapes {@link ComponentInstance#bind(Class)} and {@link ComponentLinker#implement(Class,
 * Object)} accept. The Maven plugin {@code wasmbridge-maven-plugin} (goal {@code generate}) runs it in
 * a build.
 *
 * <p><b>Input.</b> A directory of {@code .wit} files (one WIT package, with its dependencies under
 * {@code deps/}), a single {@code .wit} file, a binary WIT package, or a component binary (the world it
 * embeds). WIT is read and resolved by wit-parser; the world is chosen by name, and may be left out when
 * the WIT defines exactly one (a component has exactly one).
 *
 * <p><b>Package layout</b>, under the package {@code P} given:
 * <ul>
 *   <li>an interface of the world's own WIT package, {@code ns:pkg/iface}: package {@code P.iface};</li>
 *   <li>an interface of another package ({@code wasi:io/streams}): {@code P.ns.pkg.iface}
 *       ({@code P.wasi.io.streams}); an inline interface of the world: {@code P.name};</li>
 *   <li>the world's root: package {@code P}, with {@code <World>} (root exports), {@code
 *       <World>Imports} (root imports), types defined in the world, and the {@code TupleN} records;</li>
 *   <li>kebab-case in package names becomes {@code _} ({@code error-handling}: {@code
 *       error_handling}).</li>
 * </ul>
 * Each type is generated once, in the package of the interface that defines it; {@code use} refers
 * to it there. One file per type; each file starts with a comment saying it is generated, and its type
 * carries {@code @javax.annotation.processing.Generated} (a module using the sources on the module
 * path needs {@code requires static java.compiler;}, and must {@code export} their packages, as the
 * runtime reads them reflectively).
 *
 * <p><b>Names.</b> Types are UpperCamelCase ({@code error-code}: {@code ErrorCode}), functions,
 * fields and parameters lowerCamelCase ({@code next-color}: {@code nextColor}), enum and flags
 * constants UPPER_SNAKE_CASE ({@code dark-magenta}: {@code DARK_MAGENTA}). A Java keyword, literal or
 * restricted identifier, or a method name of {@code Object}, gets a trailing {@code _} ({@code
 * default_}, {@code toString_}), which the runtime drops. Where the runtime's default conversion would
 * not find the WIT name again (upper-case acronyms, resource functions), the element carries {@link
 * WitName}. Javadoc comes from the WIT doc comments.
 *
 * <p><b>Types.</b>
 * <table>
 *   <caption>WIT types and the Java types generated for them</caption>
 *   <tr><th>WIT</th><th>Java</th></tr>
 *   <tr><td>{@code bool}, {@code s8}, {@code s16}, {@code s32}, {@code s64}, {@code f32}, {@code
 *       f64}</td><td>{@code boolean}, {@code byte}, {@code short}, {@code int}, {@code long}, {@code
 *       float}, {@code double} (boxed as type arguments)</td></tr>
 *   <tr><td>{@code u8}, {@code u16}, {@code u32}; {@code u64}</td><td>{@code short}, {@code int},
 *       {@code long}, the exact value (as {@link ComponentFunction#call} gives them); {@code long},
 *       its bits ({@link Long#toUnsignedString(long)})</td></tr>
 *   <tr><td>{@code char}; {@code string}</td><td>{@code int} (a code point); {@code String}</td></tr>
 *   <tr><td>{@code list<u8>}, {@code list<s8>}; {@code list<T>}</td><td>{@code byte[]};
 *       {@code List<T>}</td></tr>
 *   <tr><td>{@code record}</td><td>a Java record</td></tr>
 *   <tr><td>{@code tuple<A, B>}</td><td>{@code Tuple2<A, B>}, a generic record generated once per
 *       arity used (components {@code f0}, {@code f1}, ...)</td></tr>
 *   <tr><td>{@code variant}</td><td>a sealed interface with one nested record per case (a
 *       {@code value} component for a payload)</td></tr>
 *   <tr><td>{@code enum}; {@code flags}</td><td>a Java enum; a Java enum {@code E}, its values
 *       {@code EnumSet<E>}</td></tr>
 *   <tr><td>{@code option<T>}</td><td>{@code Optional<T>}</td></tr>
 *   <tr><td>{@code result<T, E>} returned by a function</td><td>returns {@code T} ({@code void} for
 *       none) and throws a checked exception carrying {@code E}: {@code <E>Exception} beside a named
 *       error type ({@code ErrorCodeException}), else {@code <Function>Exception} beside the
 *       function</td></tr>
 *   <tr><td>{@code result<T, E>} anywhere else</td><td>{@link Result Result&lt;T, E&gt;}, {@code
 *       Void} for a missing side</td></tr>
 *   <tr><td>a resource the component exports</td><td>a handle ({@link ResourceHandle}) in the
 *       interface's methods; a class {@code R implements AutoCloseable} wrapping the handle and the
 *       bound interface, with the resource's methods, {@code create(api, ...)} for its constructor
 *       and static methods for its static functions</td></tr>
 *   <tr><td>a resource the component imports</td><td>a Java interface {@code R extends
 *       AutoCloseable} with the resource's methods, implemented by the application; {@code close()}
 *       runs when the component drops one</td></tr>
 * </table>
 *
 * <p><b>Interfaces.</b> An exported interface becomes a Java interface annotated {@link WitInterface}
 * with one method per function (a resource's functions in the flat form: {@code
 * newCounter(start)} for {@code [constructor]counter}, {@code counterIncrement(self, by)} for {@code
 * [method]counter.increment}) and {@code static Api bind(ComponentInstance)}. An imported interface
 * becomes a Java interface to implement (its functions, and its resources' constructors and static
 * functions), with {@code static void define(ComponentLinker, impl)}, which defines its resources and
 * functions in a linker. The world's root exports and imports are the interfaces {@code <World>} and
 * {@code <World>Imports}.
 *
 * <p>Not supported (refused with an {@link IllegalArgumentException} naming the type or function):
 * {@code future}, {@code stream}, {@code error-context}, {@code map} and fixed-length lists, async
 * functions, an interface both imported and exported by the world.
 *
 * <p>Thread safety: all methods are static and may be called from any thread.
 */
public final class JavaBindgen {
    static {
        dev.wasmbridge.internal.NativeLoader.load();
    }

    private JavaBindgen() {
    }

    /**
     * Generates the Java sources for a WIT world.
     *
     * @param witDirOrComponent a directory of {@code .wit} files, a {@code .wit} file, a binary WIT
     *     package or a component binary
     * @param world the world's name ({@code kitchen} or {@code test:bindings/kitchen}), or null when
     *     the WIT defines only one world (always for a component)
     * @param javaPackage the Java package the sources go under, such as {@code com.example.bindings}
     * @return the sources by their path relative to a source root ({@code
     *     com/example/bindings/api/Api.java}), sorted by path; unmodifiable
     * @throws IllegalArgumentException if the input is missing or unreadable, is not valid WIT or a
     *     component (the message is wit-parser's, with the file and line of a syntax error), names no
     *     world or an ambiguous one, uses what the bindings do not support, if {@code javaPackage} is
     *     not a Java package name, or if two generated types would have the same name
     * @throws NullPointerException if {@code witDirOrComponent} or {@code javaPackage} is null
     */
    public static Map<String, String> generate(Path witDirOrComponent, String world, String javaPackage) {
        Objects.requireNonNull(witDirOrComponent, "witDirOrComponent");
        Objects.requireNonNull(javaPackage, "javaPackage");
        String[] pairs = generate0(witDirOrComponent.toAbsolutePath().toString(), world, javaPackage);
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            files.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(files);
    }

    /**
     * Generates the Java sources for a WIT world ({@link #generate}) and writes them under {@code
     * outputDirectory}, creating directories as needed and replacing files of the same names (other
     * files are left alone).
     *
     * @param witDirOrComponent a directory of {@code .wit} files, a {@code .wit} file, a binary WIT
     *     package or a component binary
     * @param world the world's name, or null when the WIT defines only one
     * @param javaPackage the Java package the sources go under
     * @param outputDirectory a source root to write to
     * @return the files written, by path relative to {@code outputDirectory}, with their sources
     * @throws IllegalArgumentException as {@link #generate} does
     * @throws UncheckedIOException if a file cannot be written
     * @throws NullPointerException if an argument other than {@code world} is null
     */
    public static Map<String, String> writeTo(Path witDirOrComponent, String world, String javaPackage,
            Path outputDirectory) {
        Objects.requireNonNull(outputDirectory, "outputDirectory");
        Map<String, String> files = generate(witDirOrComponent, world, javaPackage);
        try {
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path file = outputDirectory.resolve(e.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the generated sources to " + outputDirectory, e);
        }
        return files;
    }

    // component/bindgen.rs: path, source, path, source, ...
    private static native String[] generate0(String path, String world, String javaPackage);
}
