package dev.wasmbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The benchmark kernels (tests/bench/*.c, compiled by bench/build-kernels.sh into the jar under
 * {@code kernels/}), the benchmark component ({@code tests/components/bench.wat}, under {@code components/})
 * and the workload sizes every runtime uses, the Rust baseline included.
 */
public final class Kernels {
    /** 1 MiB: the SHA-256 input and the size of each memory copy. */
    public static final int MIB = 1 << 20;
    /** Host calls per {@code host_loop} invocation (the JMH figure is per call). */
    public static final int HOST_CALLS = 1000;
    /** fib(20): 21891 calls, 6765. */
    public static final int FIB_N = 20;
    /** 128 x 128 doubles. */
    public static final int MATMUL_N = 128;

    private Kernels() {
    }

    /**
     * The bytes of a kernel module.
     *
     * @param name the kernel's name: {@code calls}, {@code host}, {@code sha256} or {@code matmul}
     * @return the module's binary
     */
    public static byte[] wasm(String name) {
        return resource("/kernels/" + name + ".wasm",
                "build with bench/build-kernels.sh (the Maven build of java/bench runs it)");
    }

    /**
     * The text of a component of {@code tests/components} packed into the jar under {@code components/}
     * (component WAT, which {@code Component.fromBytes} compiles as it is).
     *
     * @param name the component's name: {@code bench}
     * @return the file's bytes
     */
    public static byte[] component(String name) {
        return resource("/components/" + name + ".wat", "the java/bench build copies it from tests/components");
    }

    /**
     * The {@code wasi:http} test guest ({@code tests/http/http-guest.c}, a component built by {@code
     * scripts/build-http-guests.sh}): the file named by {@code -Dwasmbridge.bench.httpGuest}, or else the one the
     * java/bench build packs into the jar as {@code kernels/http-guest.wasm}.
     *
     * @return the component's binary
     */
    public static byte[] httpGuest() {
        String file = System.getProperty("wasmbridge.bench.httpGuest");
        if (file != null && !file.isEmpty()) {
            try {
                return java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file));
            } catch (IOException e) {
                throw new UncheckedIOException("-Dwasmbridge.bench.httpGuest=" + file, e);
            }
        }
        return resource("/kernels/http-guest.wasm", "build with scripts/build-http-guests.sh java/bench/target/kernels "
                + "(the Maven build of java/bench and bench/http.sh run it), or pass -Dwasmbridge.bench.httpGuest=FILE");
    }

    private static byte[] resource(String path, String hint) {
        try (InputStream in = Kernels.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path: " + hint);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The 1 MiB input every runtime hashes and copies: byte {@code i} is {@code i * 31 + 7}, as in the
     * Rust baseline.
     *
     * @return a new array
     */
    public static byte[] input() {
        byte[] b = new byte[MIB];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
