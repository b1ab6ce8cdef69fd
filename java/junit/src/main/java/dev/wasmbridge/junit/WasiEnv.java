package dev.wasmbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The environment variables of the test's WASI program, as {@code NAME=value} entries (the program sees
 * these and no others). On a test method, or on the test class for all its tests (the method's wins).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WasiEnv {
    /**
     * The variables.
     *
     * @return {@code NAME=value} entries, e.g. {@code {"GREETING=hi", "LANG=C"}}
     */
    String[] value();
}
