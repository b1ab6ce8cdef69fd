package dev.wasmbridge.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The WIT interface whose functions a Java interface's methods are: exported, for {@link
 * ComponentInstance#bind(Class)}, or imported, for {@link ComponentLinker#implement(Class, Object)}. A
 * Java interface without it stands for the functions at the world's root.
 *
 * <p>Thread safety: an annotation, immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WitInterface {
    /**
     * The interface's name, such as {@code "acme:kv/store@1.0.0"}. For {@code bind}, a name without its
     * {@code @version} also names the one exported interface of that name with a version.
     *
     * @return the name
     */
    String value();
}
