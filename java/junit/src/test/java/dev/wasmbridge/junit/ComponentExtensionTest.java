package dev.wasmbridge.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.wasmbridge.Module;
import dev.wasmbridge.Store;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentInstance;
import dev.wasmbridge.component.ComponentLinker;
import dev.wasmbridge.component.WitInterface;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Components through the extension: a {@link Component}, its {@link ComponentInstance} and Java interfaces
 * bound to its exports, injected as parameters and fields; imports defined on the injected {@link
 * ComponentLinker} in {@code @BeforeEach}.
 */
@WasmTest
class ComponentExtensionTest {
    /** adder.component.wat's root export. */
    public interface Adder {
        int add(int a, int b);
    }

    /** quadruple.component.wat's exported interface. */
    @WitInterface("test:junit/math")
    public interface Math {
        int quadruple(int x);
    }

    /** quadruple.component.wat's import, implemented in Java ({@code double_}: a keyword, escaped). */
    @WitInterface("test:junit/host")
    public interface Host {
        int double_(int x);
    }

    @WasmModule("adder.component.wat")
    Adder adderField;

    @WasmModule("adder.component.wat")
    static Component adderComponent;

    final List<Integer> doubled = new ArrayList<>();

    @BeforeEach
    void defineHost(ComponentLinker linker) {
        linker.implement(Host.class, x -> {
            doubled.add(x);
            return x * 2;
        });
    }

    @Test
    void aBoundFieldCallsTheComponent() {
        assertEquals(5, adderField.add(2, 3));
        // u32 as an int holds the bits.
        assertEquals(-2, adderField.add(-1, -1));
    }

    @Test
    void componentsInstancesAndBoundInterfacesAsParameters(@WasmModule("adder.component.wat") Component component,
            @WasmModule("adder.component.wat") ComponentInstance instance,
            @WasmModule("adder.component.wat") Adder adder, Store store) {
        assertSame(adderComponent, component, "compiled once per class");
        assertSame(component, instance.component());
        assertSame(store, instance.store(), "the test's store");
        assertEquals(7L, instance.function("add").call(3, 4));
        assertEquals(7, adder.add(3, 4));
    }

    @Test
    @WasmModule("quadruple.component.wat")
    void importsDefinedInBeforeEachServeTheInstance(Math math) {
        assertEquals(20, math.quadruple(5));
        assertEquals(List.of(5, 10), doubled);
    }

    @WasmTest
    static class ModuleFromAComponentCase {
        @Test
        void test(@WasmModule("adder.component.wat") Module module) {
        }
    }

    @WasmTest
    static class MismatchCase {
        public interface WrongAdder {
            String add(int a, int b);
        }

        @Test
        void test(@WasmModule("adder.component.wat") WrongAdder adder) {
        }
    }

    @Test
    void aComponentIsNotAModuleAndAMismatchFailsTheTest() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(ModuleFromAComponentCase.class)).execute()
                .testEvents().assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(
                        message(m -> m.contains("adder.component.wat") && m.contains("is a component, not a module")))));
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(MismatchCase.class)).execute()
                .testEvents().assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(
                        message(m -> m.contains("WrongAdder.add result: WIT u32, Java String")))));
    }
}
