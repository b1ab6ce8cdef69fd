package dev.wasmbridge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the test's WASI program reads from its standard input, as UTF-8 text (without this, stdin is empty).
 * On a test method, or on the test class for all its tests (the method's wins).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface WasiStdin {
    /**
     * The input.
     *
     * @return the text on stdin
     */
    String value();
}
