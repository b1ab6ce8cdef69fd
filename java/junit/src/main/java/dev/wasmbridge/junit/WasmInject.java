package dev.wasmbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for a field to be injected before each test: an {@code Engine}, {@code Module}, {@code Store},
 * {@code Linker}, {@code Instance}, {@link WasiOutput}, or another type {@link WasmExtension} injects, such as
 * a {@code WasiHttpHandler} (a field annotated with {@link WasmModule} is injected without it). Static fields are injected once, before all tests, and may only be of type {@code Engine} or
 * {@code Module}.
 *
 * <p>Fields are injected before the {@code @BeforeEach} methods run, so an injected {@code Instance} is
 * instantiated before them: a module whose imports a {@code @BeforeEach} method defines in the
 * {@code Linker} is to be taken as a test method parameter instead (parameters are resolved after it).
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WasmInject {
}
