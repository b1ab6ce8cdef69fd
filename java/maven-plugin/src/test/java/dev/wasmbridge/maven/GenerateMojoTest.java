package dev.wasmbridge.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goal on tests/bindings/wit (the world {@code kitchen}): its output, its up-to-date check, its failures. */
class GenerateMojoTest {
    static final Path WIT = Path.of(System.getProperty("wasmbridge.fixtures", "../../tests"), "bindings", "wit");

    static GenerateMojo mojo(Path wit, Path out) {
        GenerateMojo m = new GenerateMojo();
        m.project = new MavenProject();
        m.witDirectory = wit.toFile();
        m.world = "kitchen";
        m.packageName = "com.example.kitchen";
        m.outputDirectory = out.toFile();
        m.pluginVersion = "test";
        return m;
    }

    @Test
    void generatesTheSourcesAndAddsTheirRoot(@TempDir Path out) throws Exception {
        GenerateMojo m = mojo(WIT, out);
        m.execute();
        Path api = out.resolve("com/example/kitchen/api/Api.java");
        assertTrue(Files.readString(api).contains("public interface Api {"));
        assertTrue(Files.isRegularFile(out.resolve("com/example/kitchen/types/Point.java")));
        assertEquals(List.of(out.toString()), m.project.getCompileSourceRoots());
        List<String> stamp = Files.readAllLines(out.resolve(GenerateMojo.STAMP));
        assertTrue(stamp.contains("com/example/kitchen/api/Api.java"), stamp.toString());
    }

    @Test
    void generatesAgainOnlyWhenAnInputChanged(@TempDir Path tmp) throws Exception {
        Path wit = Files.createDirectories(tmp.resolve("wit"));
        Files.copy(WIT.resolve("kitchen.wit"), wit.resolve("kitchen.wit"));
        Path out = tmp.resolve("out");
        mojo(wit, out).execute();
        Path api = out.resolve("com/example/kitchen/api/Api.java");
        Files.writeString(api, "edited");
        mojo(wit, out).execute();
        assertEquals("edited", Files.readString(api), "up to date: not written again");

        Files.writeString(wit.resolve("kitchen.wit"), Files.readString(wit.resolve("kitchen.wit"))
                .replace("greet: func(name: string) -> string;", "greet: func(name: string) -> string;\n"
                        + "  /// New.\n  shout: func(s: string) -> string;"));
        mojo(wit, out).execute();
        assertTrue(Files.readString(api).contains("String shout(String s);"), "the WIT changed: generated again");

        GenerateMojo other = mojo(wit, out);
        other.packageName = "org.example.k";
        other.execute();
        assertTrue(Files.isRegularFile(out.resolve("org/example/k/api/Api.java")));
        assertFalse(Files.exists(api), "the last run's files that this one does not write are deleted");
    }

    @Test
    void badInputFailsTheBuildWithWhereItIsWrong(@TempDir Path tmp) throws Exception {
        GenerateMojo missing = mojo(tmp.resolve("nothing"), tmp.resolve("out"));
        MojoFailureException e = assertThrows(MojoFailureException.class, missing::execute);
        assertTrue(e.getMessage().contains("no WIT at"), e.getMessage());

        Path wit = Files.createDirectories(tmp.resolve("wit"));
        Files.writeString(wit.resolve("bad.wit"), "package a:b;\nworld kitchen {\n  export f: func(;\n}\n");
        e = assertThrows(MojoFailureException.class, mojo(wit, tmp.resolve("out"))::execute);
        assertTrue(e.getMessage().contains("bad.wit:3:"), e.getMessage());

        GenerateMojo component = mojo(WIT, tmp.resolve("out"));
        component.component = new File(tmp.toFile(), "missing.wasm");
        e = assertThrows(MojoFailureException.class, component::execute);
        assertTrue(e.getMessage().contains("missing.wasm"), e.getMessage());
    }

    @Test
    void skipDoesNothing(@TempDir Path out) throws Exception {
        GenerateMojo m = mojo(WIT, out.resolve("gen"));
        m.skip = true;
        m.execute();
        assertFalse(Files.exists(out.resolve("gen")));
        assertTrue(m.project.getCompileSourceRoots().isEmpty());
    }
}
