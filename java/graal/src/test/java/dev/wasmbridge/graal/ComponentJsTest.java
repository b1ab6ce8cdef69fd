package dev.wasmbridge.graal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentItem;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.ResourceHandle;
import dev.wasmbridge.component.Result;
import dev.wasmbridge.component.WitVariant;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Component exports used from GraalJS: every WIT type kind both ways through tests/components/echo.wat
 * (the guest passes the value to a Java host function, which returns it: the host side shows what the
 * adapter made of the JavaScript value), computed results from src/test/resources/bindings.wat, errors
 * and thrown err results, traps (misc.wat) and resources (resources.wat).
 */
class ComponentJsTest {
    static final String GUEST = "test:echo/guest";

    static Engine engine;
    static Component echo;
    static Component bindings;

    Store store;
    ComponentLinker linker;
    Context js;
    /** What the echo host functions were given, last first. */
    final List<Object> seen = new ArrayList<>();

    @BeforeAll
    static void compile() {
        engine = Engine.create();
        echo = Fixtures.component(engine, "echo");
        bindings = Fixtures.component(engine, "bindings");
    }

    @AfterAll
    static void close() {
        bindings.close();
        echo.close();
        engine.close();
    }

    @BeforeEach
    void setUp() {
        store = Store.create(engine);
        linker = ComponentLinker.create(engine);
        ComponentLinker.Instance host = linker.instance("test:echo/host");
        ComponentItem.Instance guest = (ComponentItem.Instance) echo.type().exports().get(GUEST);
        guest.items().forEach((name, item) -> {
            if (item instanceof ComponentItem.Function) {
                host.defineFunction(name, (caller, args) -> {
                    seen.add(0, args[0]);
                    return args[0];
                });
            }
        });
        js = Polyglot.js();
        js.getBindings("js").putMember("echo", PolyglotWasm.exports(linker.instantiate(store, echo)));
        js.getBindings("js").putMember("b", PolyglotWasm.exports(linker.instantiate(store, bindings)));
        js.eval("js", "const g = echo['test:echo/guest'];\n"
                + "function show(v) { return JSON.stringify(v, (k, x) => typeof x === 'bigint' ? x + 'n' : x); }\n"
                + "function error(f) { try { f(); return 'no error'; } catch (e) { return String(e.message); } }\n"
                + "function payload(f) { try { f(); return 'no error'; } catch (e) { return show(e.payload); } }\n");
    }

    @AfterEach
    void tearDown() {
        js.close();
        store.close();
        linker.close();
    }

    Value eval(String source) {
        return js.eval("js", source);
    }

    String show(String expression) {
        return eval("show(" + expression + ")").asString();
    }

    String error(String expression) {
        return eval("error(() => " + expression + ")").asString();
    }

    /** Echoes a JavaScript value: what the host saw (natural Java) and what came back (shown as JSON). */
    void echo(String function, String value, Object host, String back) {
        seen.clear();
        assertEquals(back, show("g['" + function + "'](" + value + ")"), function + "(" + value + ")");
        assertEquals(1, seen.size(), function);
        if (host instanceof byte[]) {
            assertArrayEquals((byte[]) host, (byte[]) seen.get(0), function + "(" + value + ") on the host side");
        } else {
            assertEquals(host, seen.get(0), function + "(" + value + ") on the host side");
        }
    }

    @Test
    void exportsAreObjectsOfFunctionsByWitNameWithAliases() {
        assertEquals("[\"test:echo/guest\"]", show("Object.keys(echo)"));
        assertEquals("[\"greet\",\"test:bindings/api@0.1.0\"]", show("Object.keys(b).sort()"));
        assertTrue(eval("b.api === b['test:bindings/api@0.1.0'] && echo.guest === g").asBoolean());
        assertTrue(eval("g.echoBool === g['echo-bool'] && b.api.sumPair === b.api['sum-pair']").asBoolean());
        assertTrue(eval("g.echoBol === undefined && !('nope' in b)").asBoolean());
        assertEquals("func(p: record { first-value: u32, second-value: u32 }) -> u32", eval("b.api.sumPair.type").asString());
        assertEquals(1, eval("b.api.sumPair.length").asInt());
        assertEquals("test:bindings/api@0.1.0#sum-pair", eval("b.api.sumPair.name").asString());
        eval("try { b.greet = 1; } catch (e) { }");
        assertEquals("greet", eval("b.greet.name").asString()); // read-only
        assertInstanceOf(WitFunction.class, eval("b.greet").asProxyObject());
    }

    @Test
    void computedResults() {
        assertEquals("hello, Wasmtime ✓", eval("b.greet('Wasmtime ✓')").asString());
        assertEquals(12, eval("b.api.sumPair({firstValue: 5, 'second-value': 7})").asInt());
        assertEquals(3, eval("b.api['sum-pair']({'first-value': 4294967295, secondValue: 4})").asInt()); // wraps
        assertEquals("{\"first-value\":2,\"second-value\":1}", show("b.api.swapPair({firstValue: 1, secondValue: 2})"));
        assertEquals(1, eval("b.api.swapPair({firstValue: 1, secondValue: 2}).secondValue").asInt()); // camelCase too
        assertEquals(-3, eval("b.api.checkedDiv(-7, 2)").asInt());
        assertEquals("{\"low\":-4,\"high\":9}", show("b.api.stats([3, -4, 9, 0])"));
        assertEquals("{\"low\":-4,\"high\":9}", show("b.api.stats(new Int32Array([3, -4, 9, 0]))"));
        assertTrue(eval("b.api.stats([]) === null").asBoolean());
        // A result inside another value is a {tag, val} object.
        assertEquals("[{\"tag\":\"ok\",\"val\":3},{\"tag\":\"err\",\"val\":-4},{\"tag\":\"ok\",\"val\":0}]",
                show("b.api.signs([3, -4, 0])"));
        assertEquals("[]", show("b.api.signs([])"));
    }

    @Test
    void aClosedStoreIsAnErrorNotACrash() {
        store.close();
        assertTrue(error("b.greet('x')").contains("closed"), error("b.greet('x')"));
        assertTrue(error("g.echoBool(true)").contains("closed"), error("g.echoBool(true)"));
    }

    @Test
    void errResultsAreThrownWithTheirPayload() {
        assertEquals("\"divide-by-zero\"", eval("payload(() => b.api.checkedDiv(1, 0))").asString());
        assertEquals("\"overflow\"", eval("payload(() => b.api.checkedDiv(-2147483648, -1))").asString());
        assertTrue(error("b.api.checkedDiv(1, 0)").contains("returned an error: \"divide-by-zero\""),
                error("b.api.checkedDiv(1, 0)"));
        // In Java: the host exception of the PolyglotException.
        PolyglotException e = assertThrows(PolyglotException.class, () -> eval("b.api.checkedDiv(1, 0)"));
        ComponentErrorException err = assertInstanceOf(ComponentErrorException.class, e.asHostException());
        assertEquals("divide-by-zero", err.payload);
        // A record payload is the record object; ok values of other result types come back plain.
        assertEquals("7", eval("payload(() => g.echoRes({tag: 'err', val: 7}))").asString());
        assertEquals("\"fine\"", show("g.echoRes({tag: 'ok', val: 'fine'})"));
        assertTrue(eval("g.echoResUnitOk({tag: 'ok'}) === null").asBoolean());
        assertEquals("\"bad\"", eval("payload(() => g.echoResUnitOk({tag: 'err', val: 'bad'}))").asString());
        assertEquals("null", eval("payload(() => g.echoResPlain({tag: 'err'}))").asString());
        assertTrue(eval("g.echoResPlain({tag: 'ok'}) === null").asBoolean());
    }

    @Test
    void primitives() {
        echo("echo-bool", "true", true, "true");
        echo("echo-s8", "-128", (byte) -128, "-128");
        echo("echo-u8", "255", (short) 255, "255");
        echo("echo-s16", "-32768", (short) -32768, "-32768");
        echo("echo-u16", "65535", 65535, "65535");
        echo("echo-s32", "-2147483648", Integer.MIN_VALUE, "-2147483648");
        echo("echo-u32", "4294967295", 4294967295L, "4294967295");
        echo("echo-s64", "-(2n ** 63n)", Long.MIN_VALUE, "-9223372036854776000"); // JSON shows the Long as a double
        echo("echo-s64", "5", 5L, "5");
        echo("echo-u64", "42", 42L, "42");
        echo("echo-f32", "1.5", 1.5f, "1.5");
        echo("echo-f64", "0.1", 0.1, "0.1");
        echo("echo-char", "'é'", (int) 'é', "\"é\"");
        echo("echo-char", "'😀'", 0x1F600, "\"😀\"");
        echo("echo-char", "65", 65, "\"A\"");
        echo("echo-string", "'héllo 😀'", "héllo 😀", "\"héllo 😀\"");
        // s64 (and u64 below 2^63) are Longs, exact through interop, rounded by JavaScript arithmetic.
        assertEquals(4611686018427387905L, eval("g.echoS64(2n ** 62n + 1n)").asLong());
        // u64 past 2^63: a BigInteger, to JavaScript a foreign number that String() and BigInt() read exactly.
        seen.clear();
        assertEquals(new BigInteger("18446744073709551615"), eval("g.echoU64(2n ** 64n - 1n)").asBigInteger());
        assertEquals(-1L, seen.get(0));
        assertTrue(eval("BigInt(g.echoU64(2n ** 64n - 1n)) === 2n ** 64n - 1n").asBoolean());
        assertEquals("18446744073709551615", eval("String(g.echoU64(18446744073709551615n))").asString());
        assertTrue(eval("Number.isNaN(g.echoF64(NaN)) && Math.fround(0.1) === g.echoF32(0.1)").asBoolean());
    }

    @Test
    void listsTuplesRecords() {
        echo("echo-bytes", "new Uint8Array([1, 2, 255])", new byte[] {1, 2, -1}, "[1,2,255]");
        assertEquals("[0,128,255]", show("Array.from(g.echoBytes([0, 128, 255]))"));
        assertEquals("[1,2]", show("g.echoBytes(new Uint8Array([1, 2]).buffer)"));
        assertEquals(3, eval("g.echoBytes([1, 2, 3]).length").asInt());
        echo("echo-strings", "['a', 'bc']", List.of("a", "bc"), "[\"a\",\"bc\"]");
        echo("echo-nested", "[[1, 2], [], [3]]", List.of(List.of(1L, 2L), List.of(), List.of(3L)), "[[1,2],[],[3]]");
        echo("echo-tuple", "[7, 'x', 2.5]", List.of((short) 7, "x", 2.5), "[7,\"x\",2.5]");
        echo("echo-point", "{x: 1, y: -2}", Map.of("x", 1, "y", -2), "{\"x\":1,\"y\":-2}");
        echo("echo-points", "[{x: 1, y: 2}, {x: 3, y: 4}]", List.of(Map.of("x", 1, "y", 2), Map.of("x", 3, "y", 4)),
                "[{\"x\":1,\"y\":2},{\"x\":3,\"y\":4}]");
        echo("echo-person", "{name: 'Ann', age: 30, tags: ['a'], score: 1.5}",
                Map.of("name", "Ann", "age", (short) 30, "email", Optional.empty(), "tags", List.of("a"), "score", 1.5),
                "{\"name\":\"Ann\",\"age\":30,\"email\":null,\"tags\":[\"a\"],\"score\":1.5}");
        echo("echo-person", "{name: 'Bo', age: 1, email: 'b@o', tags: [], score: 0}",
                Map.of("name", "Bo", "age", (short) 1, "email", Optional.of("b@o"), "tags", List.of(), "score", 0.0),
                "{\"name\":\"Bo\",\"age\":1,\"email\":\"b@o\",\"tags\":[],\"score\":0}");
        // A list<u8> from a Java byte[] (a host object) works too.
        js.getBindings("js").putMember("javaBytes", new byte[] {1, -1});
        assertEquals("[1,255]", show("g.echoBytes(javaBytes)"));
    }

    @Test
    void variantsEnumsOptionsFlags() {
        echo("echo-shape", "{tag: 'circle', val: 1.5}", new WitVariant("circle", 1.5f), "{\"tag\":\"circle\",\"val\":1.5}");
        echo("echo-shape", "{tag: 'none'}", WitVariant.of("none"), "{\"tag\":\"none\"}");
        echo("echo-color", "'green'", "green", "\"green\"");
        echo("echo-opt", "null", Optional.empty(), "null");
        echo("echo-opt", "undefined", Optional.empty(), "null");
        echo("echo-opt", "5", Optional.of(5L), "5");
        // option<option<T>> as jco: the outer option as {tag, val}, the inner one as null or the value.
        echo("echo-nested-opt", "{tag: 'none'}", Optional.empty(), "{\"tag\":\"none\"}");
        echo("echo-nested-opt", "null", Optional.empty(), "{\"tag\":\"none\"}");
        echo("echo-nested-opt", "{tag: 'some', val: null}", Optional.of(Optional.empty()), "{\"tag\":\"some\",\"val\":null}");
        echo("echo-nested-opt", "{tag: 'some', val: 'x'}", Optional.of(Optional.of("x")), "{\"tag\":\"some\",\"val\":\"x\"}");
        echo("echo-perms", "{read: true, exec: true}", Set.of("read", "exec"), "{\"read\":true,\"write\":false,\"exec\":true}");
        echo("echo-perms", "['write']", Set.of("write"), "{\"read\":false,\"write\":true,\"exec\":false}");
        echo("echo-perms", "{}", Set.of(), "{\"read\":false,\"write\":false,\"exec\":false}");
        assertTrue(eval("g.echoManyFlags({f0: true, f31: true}).f31 && !g.echoManyFlags({f0: true}).f1").asBoolean());
        // A result argument is a {tag, val} object; the host sees a Result.
        seen.clear();
        assertEquals("\"ok\"", show("g.echoRes({tag: 'ok', val: 'ok'})"));
        assertEquals(Result.ok("ok"), seen.get(0));
    }

    @Test
    void valuesReturnedGoBackIn() {
        assertEquals("{\"name\":\"Ann\",\"age\":30,\"email\":null,\"tags\":[\"a\",\"b\"],\"score\":1.5}",
                show("g.echoPerson(g.echoPerson({name: 'Ann', age: 30, tags: ['a', 'b'], score: 1.5}))"));
        assertEquals("{\"tag\":\"square\",\"val\":4}", show("g.echoShape(g.echoShape({tag: 'square', val: 4}))"));
        assertEquals("{\"read\":true,\"write\":false,\"exec\":false}", show("g.echoPerms(g.echoPerms(['read']))"));
        assertEquals("[9,8]", show("g.echoBytes(g.echoBytes([9, 8]))"));
        assertEquals("{\"tag\":\"some\",\"val\":\"x\"}", show("g.echoNestedOpt(g.echoNestedOpt({tag: 'some', val: 'x'}))"));
    }

    @Test
    void badValuesSayWhere() {
        assertEquals("argument 0 'x' of component function 'test:echo/guest#echo-s8': expected s8 (an integer from -128 to 127), "
                + "got 128 (Integer)", error("g.echoS8(128)"));
        assertTrue(error("g.echoU8(-1)").contains("expected u8 (an integer from 0 to 255), got -1"), error("g.echoU8(-1)"));
        assertTrue(error("g.echoU32(1.5)").contains("expected u32"), error("g.echoU32(1.5)"));
        assertTrue(error("g.echoU64(-1)").contains("expected u64"), error("g.echoU64(-1)"));
        assertTrue(error("g.echoU64(2n ** 64n)").contains("expected u64"), error("g.echoU64(2n ** 64n)"));
        assertTrue(error("g.echoS64(2n ** 63n)").contains("expected s64"), error("g.echoS64(2n ** 63n)"));
        assertTrue(error("g.echoBool(1)").contains("expected bool (a boolean), got 1"), error("g.echoBool(1)"));
        assertTrue(error("g.echoChar('ab')").contains("expected char"), error("g.echoChar('ab')"));
        assertTrue(error("g.echoString(5)").contains("expected string (a string), got 5"), error("g.echoString(5)"));
        assertTrue(error("g.echoBytes([1, 256])").contains("list element 1: expected u8"), error("g.echoBytes([1, 256])"));
        assertTrue(error("g.echoNested([[1], ['x']])").contains("list element 1, list element 0: expected u32"),
                error("g.echoNested([[1], ['x']])"));
        assertEquals("argument 0 'x' of component function 'test:echo/guest#echo-point', record field 'y': missing "
                + "(expected s32)", error("g.echoPoint({x: 1})"));
        assertTrue(error("g.echoPoint({x: 1, y: 'a'})").contains("record field 'y': expected s32"),
                error("g.echoPoint({x: 1, y: 'a'})"));
        assertTrue(error("g.echoPoint(5)").contains("expected record"), error("g.echoPoint(5)"));
        assertTrue(error("g.echoTuple([1, 'x'])").contains("an array of 3 elements"), error("g.echoTuple([1, 'x'])"));
        assertTrue(error("g.echoShape({tag: 'oval'})").contains("tag one of [circle, square, none]"),
                error("g.echoShape({tag: 'oval'})"));
        assertTrue(error("g.echoShape({tag: 'circle'})").contains("variant case 'circle': missing val"),
                error("g.echoShape({tag: 'circle'})"));
        assertTrue(error("g.echoShape({tag: 'none', val: 1})").contains("the case has no payload"),
                error("g.echoShape({tag: 'none', val: 1})"));
        assertTrue(error("g.echoColor('purple')").contains("one of the names [red, green, blue]"), error("g.echoColor('purple')"));
        assertTrue(error("g.echoOpt('x')").contains("option value: expected u32"), error("g.echoOpt('x')"));
        assertTrue(error("g.echoRes('x')").contains("tag one of [ok, err]"), error("g.echoRes('x')"));
        assertTrue(error("g.echoRes({tag: 'err', val: 'x'})").contains("result err value: expected u32"),
                error("g.echoRes({tag: 'err', val: 'x'})"));
        assertTrue(error("g.echoPerms(['read', 'fly'])").contains("has no flag 'fly'"), error("g.echoPerms(['read', 'fly'])"));
        assertTrue(error("g.echoPerms({read: 1})").contains("flag 'read': expected a boolean"), error("g.echoPerms({read: 1})"));
        assertTrue(error("g.echoBool()").contains("takes 1 argument, got 0"), error("g.echoBool()"));
        assertEquals("no error", error("g.echoBool(true)")); // the instance is still usable after all that
        // Nothing reached the host: every bad value was refused before the call.
        assertEquals(1, seen.size());
    }

    @Test
    void trapsAreTrapExceptions() {
        try (Store own = Store.create(engine); Component misc = Fixtures.component(engine, "misc")) {
            ComponentInstance instance = linker.instantiate(own, misc);
            js.getBindings("js").putMember("misc", PolyglotWasm.exports(instance));
            assertEquals(0, eval("misc.add(4294967295, 1)").asInt()); // u32 wraps in the component
            assertTrue(error("misc.add(-1, 1)").contains("argument 0 'a' of component function 'add': expected u32"),
                    error("misc.add(-1, 1)"));
            PolyglotException e = assertThrows(PolyglotException.class, () -> eval("misc.trap()"));
            assertEquals(TrapCode.UNREACHABLE_CODE_REACHED, PolyglotWasm.trap(e).orElseThrow().code());
        }
    }

    @Test
    void resourcesAreHandlesTheGuestPassesBackAndCloses() {
        try (Store own = Store.create(engine); Component res = Fixtures.component(engine, "resources");
             ComponentLinker resLinker = ComponentLinker.create(engine)) {
            resLinker.instance("test:res/host")
                    .defineResource("blob", StringBuilder.class, b -> { })
                    .defineFunction("[constructor]blob", (caller, args) -> new StringBuilder((String) args[0]))
                    .defineFunction("[method]blob.size", (caller, args) -> (long) ((StringBuilder) args[0]).length())
                    .defineFunction("consume", (caller, args) -> 7L);
            js.getBindings("js").putMember("r", PolyglotWasm.exports(resLinker.instantiate(own, res)));
            eval("const c = r['[constructor]counter'](41);");
            assertEquals("own<counter>", eval("c.type").asString());
            assertTrue(eval("c.owned && !c.gone").asBoolean());
            assertEquals(42, eval("r['[method]counter.inc'](c)").asInt());
            assertEquals(43, eval("r['[method]counter.inc'](c)").asInt());
            assertInstanceOf(ResourceHandle.class, ((WitResource) eval("c").asProxyObject()).handle());
            assertEquals(0, eval("r['[static]counter.dropped']()").asInt());
            eval("c.close()");
            assertTrue(eval("c.gone").asBoolean());
            assertEquals(1, eval("r['[static]counter.dropped']()").asInt());
            assertEquals(43, eval("r['[static]counter.last-dropped']()").asInt());
            assertTrue(error("r['[method]counter.get'](c)").contains("was dropped or moved"), error("r['[method]counter.get'](c)"));
            // Ownership moves into a call that takes own<counter>.
            assertEquals(5, eval("const d = r['[constructor]counter'](5); r.takeCounter(d)").asInt());
            assertTrue(eval("d.gone").asBoolean());
            // A host resource (implemented in Java) reaches the guest as its Java object, and goes back in.
            assertEquals(5, eval("r.blobSize(r.makeBlob('hello'))").asInt());
            assertTrue(error("r.takeCounter(5)").contains("expected own<counter>"), error("r.takeCounter(5)"));
        }
    }
}
