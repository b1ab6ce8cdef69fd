package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.EngineConfig;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.TrapException;
import dev.wasmbridge.wasi.WasiConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WASI 0.2's network allow-list and its waits (tests/components/sockets.wat): a TCP client that
 * connects to a local server only where the allow-list lets it, and sleeps that end at the store's
 * deadline or interrupt.
 */
class WasiNetworkTest {
    /** wasi:sockets error codes the guest reports (see sockets.wat). */
    private static final long CONNECTED = 0;
    private static final long DENIED = 300 + 1;
    /** access-denied from create-tcp-socket: no TCP at all. */
    private static final long NO_TCP = 100 + 1;

    private static Engine engine;
    private static Component component;
    private static ComponentLinker linker;

    @BeforeAll
    static void load() {
        engine = Engine.create(EngineConfig.builder().epochInterruption(true).build());
        component = Component.fromPath(engine, ComponentFixtures.path("sockets"));
        linker = ComponentLinker.create(engine).defineWasi();
    }

    @AfterAll
    static void close() {
        linker.close();
        component.close();
        engine.close();
    }

    /** Connects the guest to 127.0.0.1:port under {@code wasi}; returns its code. */
    private static long connect(WasiConfig wasi, int port) {
        try (Store store = Store.create(engine)) {
            store.setWasi(wasi);
            ComponentInstance i = linker.instantiate(store, component);
            return (Long) i.function("connect").call(127, 0, 0, 1, port);
        }
    }

    @Test
    void theDefaultGrantsNoNetwork() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertEquals(NO_TCP, connect(WasiConfig.defaults(), server.getLocalPort()));
        }
    }

    @Test
    void theAllowListLetsExactlyItsAddressesAndPortsThrough() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            assertEquals(CONNECTED, connect(WasiConfig.builder().allowNetwork("127.0.0.1", port).build(), port));
            // The server really got the connection.
            try (Socket accepted = server.accept()) {
                assertNotNull(accepted.getInetAddress());
            }
            assertEquals(CONNECTED, connect(WasiConfig.builder().allowNetwork("127.0.0.0/8").build(), port));
            server.accept().close();
            int other = port == 65535 ? port - 1 : port + 1;
            assertEquals(DENIED, connect(WasiConfig.builder().allowNetwork("127.0.0.1", other).build(), port));
            assertEquals(DENIED, connect(WasiConfig.builder().allowNetwork("10.0.0.0/8").build(), port));
            assertEquals(DENIED, connect(WasiConfig.builder().allowNetwork("::1").build(), port));
            // Any entry that allows it is enough.
            assertEquals(CONNECTED, connect(WasiConfig.builder().allowNetwork("10.0.0.0/8")
                    .allowNetwork("127.0.0.1", port).build(), port));
            server.accept().close();
        }
    }

    @Test
    void tcpCanBeTurnedOffOnAnAllowedNetwork() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            server.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            WasiConfig noTcp = WasiConfig.builder().allowNetwork("127.0.0.1").allowTcp(false).build();
            assertEquals(NO_TCP, connect(noTcp, port));
            // UDP off leaves TCP alone.
            assertEquals(CONNECTED, connect(WasiConfig.builder().allowNetwork("127.0.0.1").allowUdp(false).build(), port));
            server.accept().close();
        }
    }

    @Test
    void badAllowListEntriesAreArgumentErrors() {
        assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().allowNetwork("localhost"));
        assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().allowNetwork("127.0.0.1", 65536));
        assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().allowNetwork("127.0.0.1", -2));
        assertThrows(NullPointerException.class, () -> WasiConfig.builder().allowNetwork(null));
        // Syntax the builder cannot tell is wrong: refused, naming the entry, when the store takes it.
        for (String bad : new String[] {"127.0.0.1/33", "::1/200", "1.2.3", "1::2::3", "10.0.0.0/"}) {
            WasiConfig wasi = WasiConfig.builder().allowNetwork(bad).build();
            try (Store store = Store.create(engine)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.setWasi(wasi));
                assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            }
        }
    }

    @Test
    void sleepsEndAtTheDeadline() {
        for (String f : new String[] {"sleep", "sleep-poll"}) {
            try (Store store = Store.create(engine)) {
                ComponentInstance i = linker.instantiate(store, component);
                // A short sleep ends by itself.
                i.function(f).call(1_000_000L);
                store.setDeadline(Duration.ofMillis(100));
                long start = System.nanoTime();
                TrapException e = assertThrows(TrapException.class, () -> i.function(f).call(TimeUnit.HOURS.toNanos(1)));
                assertEquals(TrapCode.INTERRUPT, e.code(), f);
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30), f + " ended late");
            }
        }
    }

    @Test
    void sleepsEndAtAnInterrupt() throws Exception {
        try (Store store = Store.create(engine)) {
            ComponentInstance i = linker.instantiate(store, component);
            ComponentFunction sleep = i.function("sleep");
            CountDownLatch started = new CountDownLatch(1);
            Thread interrupter = new Thread(() -> {
                try {
                    started.await();
                    // Interrupt until the call has ended: an interrupt that lands before the call
                    // starts is cleared by it.
                    while (!Thread.currentThread().isInterrupted()) {
                        store.interrupt();
                        Thread.onSpinWait();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            interrupter.start();
            try {
                started.countDown();
                TrapException e = assertThrows(TrapException.class, () -> sleep.call(TimeUnit.HOURS.toNanos(1)));
                assertEquals(TrapCode.INTERRUPT, e.code());
            } finally {
                interrupter.interrupt();
                interrupter.join();
            }
        }
    }
}
