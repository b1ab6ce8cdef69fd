package dev.wasmbridge.bindgen;

import dev.wasmbridge.component.ComponentFunction;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.ResourceHandle;
import dev.wasmbridge.component.Result;
import dev.wasmbridge.component.WitInterface;
import dev.wasmbridge.component.WitName;
import dev.wasmbridge.internal.NativeLoader;
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
 * <p><b>Where it lives.</b> In the artifact {@code wasmbridge-bindgen} (module {@code
 * dev.wasmbridge.bindgen}), with a native library of its own ({@code libwasmbridge_bindgen_jni}, the Rust
 * crate {@code wasmbridge-bindgen}: wit-parser, no Wasmtime), so that an application's runtime library does
 * not carry the generator and generating sources never loads Wasmtime. Earlier 0.x snapshots had this
 * class as {@code dev.wasmbridge.component.JavaBindgen} in {@code wasmbridge-core}: depend on {@code
 * wasmbridge-bindgen} and import {@code dev.wasmbridge.bindgen.JavaBindgen} instead; its methods are
 * unchanged, and what they generate differs only where the package layout and names below say so. The
 * generated sources need only {@code wasmbridge-core}. The system property {@value #LIBRARY_PATH_PROPERTY}
 * may name the library file (as {@code wasmbridge.library.path} does the runtime's); otherwise the copy in
 * the jar is extracted beside the runtime's.
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
 *   <li>a named import or export of an interface ({@code import info: log;}): {@code P.info};</li>
 *   <li>an interface the world both imports and exports (as most of wit-bindgen's runtime tests do):
 *       twice, the import (Java implements it) under {@code P.imports} and the export (the component
 *       implements it) under {@code P.exports}, each with its own copies of the interface's types
 *       ({@code P.imports.iface} and {@code P.exports.iface}; {@code P.imports.ns.pkg.iface} for another
 *       package's). Only such interfaces are split: every other keeps the package above. An exported
 *       interface that uses the types of one both imported and exported uses the exported copy's, as
 *       the component model does;</li>
 *   <li>two versions of one interface in one world ({@code a:b/i@1.0.0} and {@code a:b/i@2.0.0}): a
 *       version segment ends each one's package ({@code P.a.b.i.v1_0_0}, {@code P.a.b.i.v2_0_0}; every
 *       character of the version other than a letter or digit becomes {@code _}). Only where two
 *       versions would share a package: a world with one version of an interface keeps the package
 *       above;</li>
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
 * default_}, {@code toString_}). Every element whose WIT name the runtime would otherwise derive from
 * its Java name (every method of a generated interface, record component, variant case and enum or
 * flags constant) carries {@link WitName} with its WIT name, so the generated names never depend on the
 * runtime's conversion rule (which stays the rule for hand-written interfaces). Javadoc comes from the
 * WIT doc comments.
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
 * <p>Not supported (refused with an {@link IllegalArgumentException} naming the type or function and
 * the construct): {@code future}, {@code stream}, {@code error-context}, {@code map} and fixed-length
 * lists, async functions.
 *
 * <p>Thread safety: all methods are static and may be called from any thread.
 */
public final class JavaBindgen {
    /**
     * Name of the system property that names the generator's native library file, skipping extraction
     * from the jar: {@value}.
     */
    public static final String LIBRARY_PATH_PROPERTY = "wasmbridge.bindgen.library.path";

    static {
        NativeLoader.load("wasmbridge_bindgen_jni", LIBRARY_PATH_PROPERTY, JavaBindgen.class);
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
     * @throws UnsatisfiedLinkError if the generator's native library cannot be loaded (on first use)
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

    // native/bindgen-jni/src/lib.rs: path, source, path, source, ...
    private static native String[] generate0(String path, String world, String javaPackage);
}
