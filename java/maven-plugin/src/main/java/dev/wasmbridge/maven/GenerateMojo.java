package dev.wasmbridge.maven;

import dev.wasmbridge.bindgen.JavaBindgen;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Generates Java bindings from WIT ({@link JavaBindgen}, whose Javadoc gives the Java types and the
 * package layout) and adds them to the project's compile source roots.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.wasmbridge</groupId>
 *   <artifactId>wasmbridge-maven-plugin</artifactId>
 *   <version>${wasmbridge.version}</version>
 *   <executions>
 *     <execution>
 *       <goals><goal>generate</goal></goals>
 *       <configuration><packageName>com.example.bindings</packageName></configuration>
 *     </execution>
 *   </executions>
 * </plugin>
 * }</pre>
 *
 * <p>The input is {@code component} when set, else {@code witDirectory}. The sources are generated
 * again only when an input changed: the WIT files (or the component), the parameters or the plugin;
 * a file under {@code outputDirectory} records what the last run read and wrote
 * ({@value #STAMP}), and files that run wrote and this one does not are deleted. Other files in
 * {@code outputDirectory} are left alone.
 *
 * <p>The generated code uses {@code javax.annotation.processing.Generated}: a project built as a named
 * module adds {@code requires static java.compiler;} to its {@code module-info.java}, and exports the
 * generated packages (the runtime reads their types reflectively).
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {
    /** The name of the file in the output directory that records the last run. */
    static final String STAMP = ".wasmbridge-generate";

    /** The project, whose compile source roots get the output directory. */
    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /**
     * The directory of {@code .wit} files (one WIT package, with its dependencies under {@code deps/}),
     * or a single {@code .wit} file. Used when {@code component} is not set.
     */
    @Parameter(property = "wasmbridge.witDirectory", defaultValue = "${project.basedir}/src/main/wit")
    File witDirectory;

    /** A component binary ({@code .wasm}) whose embedded WIT world to generate for, instead of WIT files. */
    @Parameter(property = "wasmbridge.component")
    File component;

    /** The world, such as {@code kitchen} or {@code test:bindings/kitchen}; needed only when the WIT defines several. */
    @Parameter(property = "wasmbridge.world")
    String world;

    /** The Java package the generated sources go under, such as {@code com.example.bindings}. */
    @Parameter(property = "wasmbridge.packageName", required = true)
    String packageName;

    /** Where the sources are written; added to the compile source roots. */
    @Parameter(property = "wasmbridge.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/wasmbridge")
    File outputDirectory;

    /** Skips the goal (the output directory is not added either). */
    @Parameter(property = "wasmbridge.generate.skip", defaultValue = "false")
    boolean skip;

    /** The plugin's version, part of what decides that the sources are up to date. */
    @Parameter(defaultValue = "${plugin.version}", readonly = true)
    String pluginVersion;

    /** Creates the goal; Maven sets its parameters. */
    public GenerateMojo() {
    }

    /**
     * Generates the sources unless they are up to date, and adds the output directory to the
     * project's compile source roots.
     *
     * @throws MojoFailureException if the input is missing, is not valid WIT or a component, or uses what
     *     the bindings do not support (the message says what and where)
     * @throws MojoExecutionException if the sources cannot be read or written
     */
    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("wasmbridge: generate skipped");
            return;
        }
        Path input = (component != null ? component : witDirectory).toPath();
        if (!Files.exists(input)) {
            throw new MojoFailureException(component != null
                    ? "wasmbridge: the component " + input + " does not exist"
                    : "wasmbridge: no WIT at " + input + " (set witDirectory, or component for a .wasm file)");
        }
        Path out = outputDirectory.toPath();
        try {
            String stamp = stamp(input);
            Path stampFile = out.resolve(STAMP);
            List<String> previous = Files.isRegularFile(stampFile)
                    ? Files.readAllLines(stampFile, StandardCharsets.UTF_8) : List.of();
            if (!previous.isEmpty() && previous.get(0).equals(stamp)
                    && previous.stream().skip(1).allMatch(f -> Files.isRegularFile(out.resolve(f)))) {
                getLog().info("wasmbridge: the sources in " + out + " are up to date");
            } else {
                Map<String, String> files = JavaBindgen.writeTo(input, world, packageName, out);
                for (String old : previous.subList(Math.min(1, previous.size()), previous.size())) {
                    if (!files.containsKey(old)) {
                        Files.deleteIfExists(out.resolve(old));
                    }
                }
                List<String> lines = new ArrayList<>();
                lines.add(stamp);
                lines.addAll(files.keySet());
                Files.write(stampFile, lines, StandardCharsets.UTF_8);
                getLog().info("wasmbridge: generated " + files.size() + " Java sources from " + input + " in " + out);
            }
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("wasmbridge: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("wasmbridge: cannot generate the sources in " + out + ": " + e, e);
        } catch (UncheckedIOException e) {
            throw new MojoExecutionException("wasmbridge: " + e.getMessage() + ": " + e.getCause(), e);
        }
        project.addCompileSourceRoot(out.toString());
    }

    /**
     * A digest of everything the sources depend on: the parameters, the plugin and the generator (the
     * jar it comes from), and each input file's path and bytes.
     */
    private String stamp(Path input) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        List<String> header = List.of(String.valueOf(pluginVersion), String.valueOf(world), packageName,
                generator());
        for (String s : header) {
            digest.update(s.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        List<Path> files;
        if (Files.isDirectory(input)) {
            try (Stream<Path> walk = Files.walk(input)) {
                files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            }
        } else {
            files = List.of(input);
        }
        for (Path f : files) {
            digest.update(input.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Files.readAllBytes(f));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Where the generator comes from and when it was built: a rebuilt snapshot generates again. */
    private static String generator() {
        try {
            Path jar = Path.of(JavaBindgen.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar + "@" + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return "unknown";
        }
    }
}
