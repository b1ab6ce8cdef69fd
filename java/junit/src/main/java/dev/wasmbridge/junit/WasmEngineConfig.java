package dev.wasmbridge.junit;

import dev.wasmbridge.OptLevel;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How the test class's engine is configured (without this annotation: {@code EngineConfig.defaults()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WasmEngineConfig {
    /**
     * Cranelift's optimization level.
     *
     * @return the level; {@link OptLevel#SPEED} by default
     */
    OptLevel optLevel() default OptLevel.SPEED;

    /**
     * Fuel for each test's store: a negative value (the default) leaves fuel metering off; zero or more turns it
     * on and gives every store that much, so that a runaway loop ends in {@code TrapCode.OUT_OF_FUEL}.
     *
     * @return the fuel per store, or a negative value for none
     */
    long fuel() default -1;

    /**
     * Epoch interruption, for {@code Store.setDeadline} and {@code Store.interrupt}.
     *
     * @return whether it is on; off by default
     */
    boolean epochInterruption() default false;

    /**
     * The most stack wasm may use, in bytes.
     *
     * @return the size, or 0 (the default) for Wasmtime's default
     */
    long maxWasmStack() default 0;

    /**
     * Whether traps are detected with signal handlers (else with explicit checks in the compiled code).
     *
     * @return whether signals are used; true by default
     */
    boolean signalsBasedTraps() default true;
}
