package dev.wasmbridge.junit;

import static dev.wasmbridge.junit.WasmAssertions.assertExitCode;
import static dev.wasmbridge.junit.WasmAssertions.assertTrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.wasmbridge.Engine;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.Instance;
import dev.wasmbridge.Linker;
import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.TrapCode;
import dev.wasmbridge.ValType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension's behaviour, checked by running small test classes (the static nested {@code *Case} classes,
 * which Surefire does not run on their own) through JUnit's {@link EngineTestKit} and looking at the events.
 */
class WasmExtensionTest {
    private static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute();
    }

    private static Set<Object> identities(List<?> objects) {
        Set<Object> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(objects);
        return set;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Injection and lifetimes

    @WasmTest
    @WasmModule("add.wat")
    static class InjectionCase {
        static final List<Engine> ENGINES = Collections.synchronizedList(new ArrayList<>());
        static final List<Store> STORES = Collections.synchronizedList(new ArrayList<>());

        @WasmInject
        Engine engineField;
        @WasmInject
        Store storeField;
        @WasmInject
        Linker linkerField;
        @WasmInject
        Instance instanceField;
        @WasmModule("traps.wat")
        Module trapsField;

        @Test
        void parametersAndFieldsAreTheSameObjects(Engine engine, Module module, Store store, Linker linker,
                Instance instance) {
            assertSame(engineField, engine);
            assertSame(storeField, store);
            assertSame(linkerField, linker);
            assertSame(instanceField, instance);
            assertSame(engine, module.engine());
            assertSame(engine, store.engine());
            assertSame(store, instance.store());
            assertEquals(42, instance.function("add").call(40, 2)[0]);
            ENGINES.add(engine);
            STORES.add(store);
        }

        @Test
        void everyTestHasAFreshStore(Instance instance, Store store) {
            assertEquals(0, instance.function("count").call()[0]);
            instance.function("add").call(1, 2);
            assertEquals(1, instance.function("count").call()[0]);
            ENGINES.add(engineField);
            STORES.add(store);
        }

        @Test
        void aParameterCanNameItsOwnModule(@WasmModule("traps.wat") Instance traps, Instance add,
                @WasmModule("traps.wat") Module trapsModule) {
            assertNotSame(traps, add);
            assertSame(trapsField, trapsModule);
            assertTrap(TrapCode.UNREACHABLE_CODE_REACHED, () -> traps.function("boom").call());
            assertEquals(3, add.function("add").call(1, 2)[0]);
            ENGINES.add(engineField);
            STORES.add(storeField);
        }
    }

    @Test
    void injectsOneEnginePerClassAndOneStorePerTest() {
        InjectionCase.ENGINES.clear();
        InjectionCase.STORES.clear();
        run(InjectionCase.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
        assertEquals(1, identities(InjectionCase.ENGINES).size(), "one engine for the class");
        assertEquals(3, identities(InjectionCase.STORES).size(), "a store per test");
    }

    @WasmTest
    @WasmModule("add.wat")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class LifecycleCase {
        static Engine engine;
        static Module module;
        static final List<Store> STORES = Collections.synchronizedList(new ArrayList<>());
        static final List<Linker> LINKERS = Collections.synchronizedList(new ArrayList<>());

        @Test
        @Order(1)
        void first(Engine e, Module m, Store s, Linker l) {
            engine = e;
            module = m;
            STORES.add(s);
            LINKERS.add(l);
        }

        @Test
        @Order(2)
        void theStoreOfTheTestBeforeIsClosedButTheEngineIsNot(Store s, Instance instance) {
            STORES.add(s);
            assertThrows(IllegalStateException.class, () -> STORES.get(0).capturedStdout());
            assertEquals(5, instance.function("add").call(2, 3)[0]);
            Store.create(engine).close();
        }

        @AfterEach
        void theStoreIsStillOpenInAfterEach(Instance instance) {
            assertEquals(2, instance.function("add").call(1, 1)[0]);
        }
    }

    @Test
    void closesStoresAndLinkersAfterEachTestAndModulesAndTheEngineAfterTheClass() {
        LifecycleCase.STORES.clear();
        LifecycleCase.LINKERS.clear();
        run(LifecycleCase.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        assertEquals(2, LifecycleCase.STORES.size());
        for (Store s : LifecycleCase.STORES) {
            IllegalStateException e = assertThrows(IllegalStateException.class, s::capturedStdout);
            assertThat(e.getMessage()).contains("closed");
        }
        assertThrows(IllegalStateException.class, () -> Store.create(LifecycleCase.engine), "the engine is closed");
        assertThrows(IllegalStateException.class, () -> LifecycleCase.module.serialize(), "the module is closed");
        assertThrows(IllegalStateException.class,
                () -> LifecycleCase.LINKERS.get(0).defineWasi(), "the linker is closed");
    }

    @WasmTest
    @WasmModule("add.wat")
    static class StaticFieldCase {
        @WasmInject
        static Engine engine;
        @WasmModule("traps.wat")
        static Module traps;
        static Engine seenInBeforeAll;

        @BeforeAll
        static void beforeAll(Engine e, Module addModule) {
            assertSame(engine, e);
            assertSame(e, addModule.engine());
            seenInBeforeAll = e;
        }

        @Test
        void staticFieldsHoldTheClassEngineAndModules(Engine e) {
            assertSame(engine, e);
            assertSame(seenInBeforeAll, e);
            assertSame(e, traps.engine());
        }
    }

    @Test
    void injectsStaticEngineAndModuleFieldsAndBeforeAllParameters() {
        run(StaticFieldCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @WasmTest
    @WasmModule("add.wat")
    static class NestedCase {
        static final List<Engine> ENGINES = Collections.synchronizedList(new ArrayList<>());

        @Test
        void outer(Engine engine) {
            ENGINES.add(engine);
        }

        @Nested
        class Inner {
            @Test
            void innerUsesTheEnclosingClassModuleAndEngine(Engine engine, Instance instance) {
                ENGINES.add(engine);
                assertEquals(7, instance.function("add").call(3, 4)[0]);
            }
        }
    }

    @Test
    void aNestedClassSharesTheEnclosingClassModuleAndEngine() {
        NestedCase.ENGINES.clear();
        run(NestedCase.class).testEvents().assertStatistics(s -> s.started(2).succeeded(2).failed(0));
        assertEquals(1, identities(NestedCase.ENGINES).size(), "the enclosing class's engine");
    }

    @WasmTest
    @WasmModule("needs_host.wat")
    static class HostFunctionCase {
        @BeforeEach
        void defineTheImport(Linker linker) {
            linker.defineFunction("env", "twice", FuncType.of(List.of(ValType.I32), List.of(ValType.I32)),
                    (caller, args) -> new Object[] {(Integer) args[0] * 2});
        }

        @Test
        void theInstanceParameterIsMadeAfterBeforeEach(Instance instance) {
            assertEquals(20, instance.function("quad").call(5)[0]);
        }
    }

    @Test
    void hostFunctionsDefinedInBeforeEachSatisfyTheImports() {
        run(HostFunctionCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    @WasmTest
    @WasmEngineConfig(fuel = 10_000)
    @WasmModule("traps.wat")
    static class FuelCase {
        @Test
        void aLoopRunsOutOfFuel(Instance instance) {
            assertTrap(TrapCode.OUT_OF_FUEL, () -> instance.function("spin").call());
        }
    }

    @Test
    void theEngineConfigAnnotationTurnsFuelOn() {
        run(FuelCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // WASI

    @WasmTest
    @WasmModule("echo.wat")
    @WasiArgs({"echo", "a b"})
    static class WasiCase {
        @Test
        @WasiStdin("some input\n")
        @WasiEnv({"GREETING=hi", "EMPTY="})
        void argumentsEnvironmentAndStdinReachTheProgram(Instance instance, WasiOutput output) {
            assertExitCode(7, () -> instance.function("_start").call());
            assertEquals("some input\n", output.stdout());
            assertEquals("echo\0a b\0GREETING=hi\0EMPTY=\0", output.stderr());
        }

        @Test
        @WasiArgs({"other"})
        void theMethodAnnotationWinsAndStdinIsEmptyByDefault(Instance instance, WasiOutput output) {
            assertExitCode(7, () -> instance.function("_start").call());
            assertEquals("", output.stdout());
            assertEquals("other\0", output.stderr());
        }

        @Test
        @WasmModule("hi.wat")
        void returningFromStartIsExitCodeZero(Instance instance, WasiOutput output) {
            assertEquals(0, assertExitCode(0, () -> instance.function("_start").call()));
            assertEquals("hi\n", output.stdout());
            assertEquals(0, output.stderrBytes().length);
        }
    }

    @Test
    void wasiProgramsGetTheAnnotatedArgumentsEnvironmentAndStdin() {
        run(WasiCase.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
    }

    @WasmTest
    @WasmModule("add.wat")
    static class WasiOutputWithoutWasiImportsCase {
        @Test
        void aWasiOutputTurnsWasiOnAnyway(WasiOutput output, Instance instance) {
            assertEquals("", output.stdout());
            assertEquals(2, instance.function("add").call(1, 1)[0]);
        }
    }

    @Test
    void aWasiOutputWorksForAModuleWithoutWasi() {
        run(WasiOutputWithoutWasiImportsCase.class).testEvents()
                .assertStatistics(s -> s.started(1).succeeded(1).failed(0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Failures: clear messages, the test (not the run) fails

    @WasmTest
    static class MissingResourceCase {
        @Test
        @WasmModule("missing.wat")
        void missing(Instance instance) {
            assertNotNull(instance);
        }
    }

    @Test
    void aMissingResourceFailsTheTestNamingWhereItLooked() {
        Events tests = run(MissingResourceCase.class).testEvents();
        tests.assertStatistics(s -> s.started(1).succeeded(0).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("missing"), finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(m -> m.contains("@WasmModule(\"missing.wat\"): no such class-path resource")
                        && m.contains("dev/wasmbridge/junit/missing.wat")))));
    }

    @WasmTest
    static class MissingFieldResourceCase {
        @WasmModule("/wasm/nowhere.wasm")
        Instance instance;

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aMissingResourceForAFieldFailsTheTest() {
        Events tests = run(MissingFieldResourceCase.class).testEvents();
        tests.assertStatistics(s -> s.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("neverRuns"), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.contains("no such class-path resource (looked for wasm/nowhere.wasm)")))));
    }

    @WasmTest
    static class BadModuleCase {
        @Test
        @WasmModule("bad.wat")
        void bad(Module module) {
            assertNotNull(module);
        }
    }

    @Test
    void aModuleThatDoesNotCompileFailsTheTestWithTheCompilerMessage() {
        Events tests = run(BadModuleCase.class).testEvents();
        tests.assertStatistics(s -> s.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("bad"), finishedWithFailure(
                message(m -> m.contains("@WasmModule(\"bad.wat\")") && m.contains("does not compile")
                        && m.contains("type mismatch")))));
    }

    @WasmTest
    static class NoModuleCase {
        @Test
        void which(Instance instance) {
            assertNotNull(instance);
        }
    }

    @Test
    void anInstanceWithoutAModuleNameFailsTheTest() {
        Events tests = run(NoModuleCase.class).testEvents();
        tests.assertStatistics(s -> s.started(1).failed(1));
        tests.assertThatEvents().haveExactly(1, event(test("which"), finishedWithFailure(
                message(m -> m.contains("which module?") && m.contains("@WasmModule(\"name.wat\")")))));
    }

    @WasmTest
    static class StoreInBeforeAllCase {
        @BeforeAll
        static void tooEarly(Store store) {
            assertNotNull(store);
        }

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aStoreOutsideATestIsRefused() {
        EngineExecutionResults results = run(StoreInBeforeAllCase.class);
        results.containerEvents().assertThatEvents().haveExactly(1, event(container(StoreInBeforeAllCase.class),
                finishedWithFailure(message(m -> m.contains("a Store belongs to one test")))));
        results.testEvents().assertStatistics(s -> s.started(0));
    }

    @WasmTest
    static class FinalFieldCase {
        @WasmInject
        final Engine engine = null;

        @Test
        void neverRuns() {
        }
    }

    @Test
    void aFinalFieldIsRefused() {
        run(FinalFieldCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("neverRuns"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("FinalFieldCase.engine is final")))));
    }

    @WasmTest
    @WasmModule("traps.wat")
    static class FailingAssertionCase {
        @Test
        void wrongTrapCode(Instance instance) {
            assertTrap(TrapCode.INTEGER_OVERFLOW, () -> instance.function("div").call(1, 0));
        }
    }

    @Test
    void aFailedWasmAssertionFailsTheTestWithExpectedAndActual() {
        run(FailingAssertionCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("wrongTrapCode"),
                finishedWithFailure(instanceOf(org.opentest4j.AssertionFailedError.class),
                        message(m -> m.contains("expected a trap INTEGER_OVERFLOW but the call trapped with "
                                + "INTEGER_DIVISION_BY_ZERO")))));
    }
}
