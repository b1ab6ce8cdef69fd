package dev.wasmbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The command-line arguments of the test's WASI program ({@code argv}, the program name first). On a test
 * method, or on the test class for all its tests (the method's wins).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WasiArgs {
    /**
     * The arguments.
     *
     * @return the arguments, e.g. {@code {"hello", "Alice"}}
     */
    String[] value();
}
