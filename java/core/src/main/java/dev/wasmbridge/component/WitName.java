package dev.wasmbridge.component;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The WIT name of a Java element in the typed bindings ({@link ComponentInstance#bind(Class)}, {@link
 * ComponentLinker#implement(Class, Object)}), where the default conversion does not give it: on a method,
 * the function's name (such as {@code "[method]counter.increment"}); on a record component, the field's;
 * on an enum constant, the case's or flag's; on a record that is a case of a variant, the case's.
 *
 * <p>Without it a Java name converts to kebab-case: a trailing {@code _} is dropped (so a Java keyword
 * can be escaped as {@code default_}), then {@code makePerson} and {@code MakePerson} become {@code
 * make-person} and {@code DARK_MAGENTA} becomes {@code dark-magenta}.
 *
 * <p>Thread safety: an annotation, immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.TYPE})
public @interface WitName {
    /**
     * The name exactly as in WIT (without a {@code %} escape).
     *
     * @return the name
     */
    String value();
}
