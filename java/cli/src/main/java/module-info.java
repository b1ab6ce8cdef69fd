/**
 * The {@code wasmbridge} command line: {@code run}, {@code serve}, {@code inspect} and {@code compile} (see
 * {@link dev.wasmbridge.cli.Main}). picocli reads the command classes reflectively, so the package is
 * opened to it.
 */
module dev.wasmbridge.cli {
    requires dev.wasmbridge;
    requires dev.wasmbridge.http.server;
    requires jdk.httpserver;
    requires info.picocli;

    exports dev.wasmbridge.cli;

    opens dev.wasmbridge.cli to info.picocli;
}
