package com.example.calc;

import com.example.calc.bindings.arithmetic.Arithmetic;
import com.example.calc.bindings.arithmetic.Sign;
import com.example.calc.bindings.audit.Audit;
import dev.wasmbridge.Engine;
import dev.wasmbridge.Store;
import dev.wasmbridge.component.Component;
import dev.wasmbridge.component.ComponentLinker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Arithmetic done by a WebAssembly component (calculator.wat, a resource of this jar) through the Java
 * bindings the build generates from src/main/wit/calc.wit: {@link Arithmetic} is the component's export,
 * bound to its instance, and {@link Audit} its import, implemented here (it records each sum).
 */
public final class Calculator implements AutoCloseable {
    private final Engine engine;
    private final Component component;
    private final ComponentLinker linker;
    private final Store store;
    private final Arithmetic arithmetic;
    private final List<Integer> sums = new ArrayList<>();

    public Calculator() {
        engine = Engine.create();
        component = Component.fromWat(engine, resource("calculator.wat"));
        linker = ComponentLinker.create(engine);
        Audit.define(linker, sums::add);
        store = Store.create(engine);
        arithmetic = Arithmetic.bind(linker.instantiate(store, component));
    }

    private static String resource(String name) {
        try (InputStream in = Calculator.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code a + b}, computed by the component. */
    public int add(int a, int b) {
        return arithmetic.add(a, b);
    }

    /** The sums the component reported through its import, in order. */
    public List<Integer> sums() {
        return List.copyOf(sums);
    }

    /** The sign of {@code n}, as the component sees it. */
    public Sign classify(int n) {
        return arithmetic.classify(n);
    }

    @Override
    public void close() {
        store.close();
        linker.close();
        component.close();
        engine.close();
    }
}
