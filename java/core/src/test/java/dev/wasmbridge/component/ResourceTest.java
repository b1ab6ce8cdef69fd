package dev.wasmbridge.component;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resources in both directions ({@code tests/components/resources.wat}): the guest's {@code counter}
 * as {@link ResourceHandle}s, the host's {@code blob} as Java objects, and every misuse.
 */
class ResourceTest {
    static final String HOST = "test:res/host";

    /** The Java class behind the host resource {@code blob}. */
    static final class Blob {
        final String text;

        Blob(String text) {
            this.text = text;
        }
    }

    Engine engine;
    Component component;
    ComponentLinker linker;
    Store store;
    ComponentInstance instance;
    final List<Blob> destroyed = new ArrayList<>();
    final List<Blob> consumed = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = Engine.create();
        component = Component.fromPath(engine, ComponentFixtures.path("resources"));
        linker = ComponentLinker.create(engine);
        linker.instance(HOST)
                .defineResource("blob", Blob.class, destroyed::add)
                .defineFunction("[constructor]blob", (caller, args) -> new Blob((String) args[0]))
                .defineFunction("[method]blob.size", (caller, args) -> (long) ((Blob) args[0]).text.length())
                .defineFunction("consume", (caller, args) -> {
                    consumed.add((Blob) args[0]);
                    return 7L;
                });
        store = Store.create(engine);
        instance = linker.instantiate(store, component);
    }

    @AfterEach
    void tearDown() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }

    ResourceHandle counter(int start) {
        return (ResourceHandle) instance.function("[constructor]counter").call(start);
    }

    long call(String function, Object... args) {
        return (Long) instance.function(function).call(args);
    }

    @Test
    void guestResourcesAreHandlesThatCloseRunsTheDestructorOf() {
        ResourceHandle c = counter(41);
        assertTrue(c.isOwned());
        assertEquals("own<counter>", c.type());
        assertEquals(42L, call("[method]counter.inc", c));
        assertEquals(43L, call("[method]counter.inc", c));
        assertEquals(43L, call("[method]counter.get", c));
        assertEquals(0L, call("[static]counter.dropped"));
        c.close();
        assertTrue(c.isGone());
        assertEquals(1L, call("[static]counter.dropped"));
        assertEquals(43L, call("[static]counter.last-dropped"));
        c.close(); // harmless
        assertEquals(1L, call("[static]counter.dropped"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> call("[method]counter.get", c));
        assertTrue(e.getMessage().contains("dropped or moved"), e.getMessage());
    }

    @Test
    void anOwnArgumentMovesTheHandle() {
        ResourceHandle c = counter(5);
        assertEquals(5L, call("take-counter", c));
        assertTrue(c.isGone());
        assertEquals(1L, call("[static]counter.dropped"));
        assertThrows(IllegalStateException.class, () -> call("[method]counter.get", c));
        assertThrows(IllegalStateException.class, () -> call("take-counter", c));
        c.close(); // moved: nothing to do
        assertEquals(1L, call("[static]counter.dropped"));
    }

    @Test
    void oneOwnHandlePassedTwiceIsRefusedAndStaysUsable() {
        ResourceHandle a = counter(1);
        ResourceHandle b = counter(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call("take-two", a, a));
        assertTrue(e.getMessage().contains("argument 1 'b'") && e.getMessage().contains("twice"), e.getMessage());
        assertFalse(a.isGone());
        // A wrong second argument leaves the first one usable too.
        assertThrows(IllegalArgumentException.class, () -> call("take-two", a, "not a handle"));
        assertFalse(a.isGone());
        assertEquals(1L, call("[method]counter.get", a));
        assertEquals(3L, call("take-two", a, b));
        assertTrue(a.isGone() && b.isGone());
        assertEquals(2L, call("[static]counter.dropped"));
    }

    @Test
    void hostResourcesAreTheirJavaObjects() {
        Blob made = (Blob) instance.function("make-blob").call("hello");
        assertEquals("hello", made.text);
        // Handed back to Java: the guest no longer holds it, so no destructor ran.
        assertEquals(List.of(), destroyed);
        Blob mine = new Blob("four");
        assertEquals(4L, call("blob-size", mine));
        assertSame(mine, instance.function("blob-pass").call(mine));
        instance.function("blob-drop").call(mine);
        assertEquals(List.of(mine), destroyed);
        Blob given = new Blob("x");
        assertEquals(7L, call("blob-consume", given));
        assertEquals(List.of(given), consumed);
        assertEquals(List.of(mine), destroyed);
        // Nothing stays in the store's table: borrows ended with their call, owns came back or died.
        assertEquals(0L, ComponentStoreState.sizes(store)[3]);
        Blob kept = new Blob("kept");
        instance.function("blob-keep").call(kept);
        assertEquals(1L, ComponentStoreState.sizes(store)[3]);
    }

    @Test
    void theExactValueModelNamesHostResources() {
        WitValue r = instance.function("make-blob").callValues(new WitValue.Str("v"));
        assertEquals("v", ((Blob) ((WitValue.HostResource) r).value()).text);
        assertEquals(new WitValue.U32(1), instance.function("blob-size").callValues(r));
    }

    @Test
    void resourcesOfTheWrongKindOrClassAreRefusedByName() {
        ResourceHandle c = counter(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> call("blob-size", c));
        assertTrue(e.getMessage().contains("argument 0 'b'") && e.getMessage().contains("test:res/host.blob"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> call("blob-size", "a string"));
        assertTrue(e.getMessage().contains("implemented by " + Blob.class.getName()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> call("[method]counter.get", new Blob("b")));
        assertTrue(e.getMessage().contains("takes a ResourceHandle"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> call("[method]counter.get", (Object) null));
        // The handle survived every refusal.
        assertEquals(0L, call("[method]counter.get", c));
    }

    @Test
    void handlesBelongToTheirStore() {
        ResourceHandle c = counter(3);
        try (Store other = Store.create(engine)) {
            ComponentInstance i2 = linker.instantiate(other, component);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> i2.function("[method]counter.get").call(c));
            assertTrue(e.getMessage().contains("another store"), e.getMessage());
        }
    }

    @Test
    void aDestructorsExceptionReachesTheCallerAsTheSameObject() {
        RuntimeException boom = new IllegalStateException("cannot destroy");
        try (ComponentLinker l = ComponentLinker.create(engine); Store s = Store.create(engine)) {
            l.instance(HOST)
                    .defineResource("blob", Blob.class, b -> {
                        throw boom;
                    })
                    .defineFunction("[constructor]blob", (caller, args) -> new Blob((String) args[0]))
                    .defineFunction("[method]blob.size", (caller, args) -> 0L)
                    .defineFunction("consume", (caller, args) -> 0L);
            ComponentInstance i = l.instantiate(s, component);
            assertSame(boom, assertThrows(IllegalStateException.class,
                    () -> i.function("blob-drop").call(new Blob("z"))));
        }
    }

    @Test
    void closedStoresTakeTheirHandlesAlong() {
        ResourceHandle c = counter(1);
        store.close();
        c.close(); // nothing to do: the resource went with the store
        assertTrue(c.isGone());
    }

    @Test
    void aLongLivedStoreStaysBounded() {
        ComponentFunction make = instance.function("[constructor]counter");
        ComponentFunction take = instance.function("take-counter");
        ComponentFunction size = instance.function("blob-size");
        ComponentFunction pass = instance.function("blob-pass");
        ComponentFunction get = instance.function("[method]counter.get");
        long[] before = ComponentStoreState.sizes(store);
        for (int n = 0; n < 20_000; n++) {
            try (ResourceHandle c = (ResourceHandle) make.call(n)) {
                assertEquals((long) n, get.call(c));
            }
            ResourceHandle moved = (ResourceHandle) make.call(n);
            take.call(moved);
            Blob b = new Blob("b");
            size.call(b);
            assertSame(b, pass.call(b));
        }
        long[] after = ComponentStoreState.sizes(store);
        assertArrayEquals(before, after, "instances, functions, live handles, host objects");
    }

    /** Owned handles dropped without close are dropped at a later call once the GC finds them. */
    @Test
    void unreachableHandlesAreDroppedByALaterCall() throws InterruptedException {
        for (int n = 0; n < 100; n++) {
            counter(n);
        }
        assertEquals(100L, ComponentStoreState.sizes(store)[2]);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Poll: each round asks for a collection and makes a call (which drops what the cleaner queued).
        while (call("[static]counter.dropped") < 100 && System.nanoTime() < deadline) {
            System.gc();
            Thread.onSpinWait();
        }
        assertEquals(100L, call("[static]counter.dropped"));
        assertEquals(0L, ComponentStoreState.sizes(store)[2]);
    }
}
