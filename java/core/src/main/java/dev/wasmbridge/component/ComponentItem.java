package dev.wasmbridge.component;

import java.util.Map;
import java.util.Objects;

/**
 * What a component imports or exports: a function, an instance (an interface: named items), a
 * resource type, a type, or (for completeness) a core module, a component or a core function.
 *
 * <p>Thread safety: immutable.
 */
public sealed interface ComponentItem permits ComponentItem.Function, ComponentItem.Instance,
        ComponentItem.Resource, ComponentItem.Type, ComponentItem.Other {

    /**
     * The kind of the item.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * The kinds of items.
     *
     * <p>Thread safety: an immutable enum.
     */
    enum Kind {
        /** A component function. */
        FUNCTION,
        /** An instance: an interface's items by name. */
        INSTANCE,
        /** A resource type. */
        RESOURCE,
        /** A type. */
        TYPE,
        /** A core module. */
        MODULE,
        /** A component. */
        COMPONENT,
        /** A core function. */
        CORE_FUNCTION
    }

    /**
     * A function.
     *
     * <p>Thread safety: immutable.
     *
     * @param type its type
     */
    record Function(ComponentFuncType type) implements ComponentItem {
        /**
         * Checks the part.
         *
         * @param type the type
         * @throws NullPointerException if {@code type} is null
         */
        public Function {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Kind kind() {
            return Kind.FUNCTION;
        }
    }

    /**
     * An instance: what an interface holds, by name, in order.
     *
     * <p>Thread safety: immutable.
     *
     * @param items the items
     */
    record Instance(Map<String, ComponentItem> items) implements ComponentItem {
        /**
         * Copies the items, keeping their order.
         *
         * @param items the items
         * @throws NullPointerException if {@code items} is null
         */
        public Instance {
            items = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(items));
        }

        @Override
        public Kind kind() {
            return Kind.INSTANCE;
        }
    }

    /**
     * A resource type.
     *
     * <p>Thread safety: immutable.
     */
    record Resource() implements ComponentItem {
        @Override
        public Kind kind() {
            return Kind.RESOURCE;
        }
    }

    /**
     * A type.
     *
     * <p>Thread safety: immutable.
     *
     * @param type the type
     */
    record Type(WitType type) implements ComponentItem {
        /**
         * Checks the part.
         *
         * @param type the type
         * @throws NullPointerException if {@code type} is null
         */
        public Type {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Kind kind() {
            return Kind.TYPE;
        }
    }

    /**
     * A core module, a component or a core function: items wasmbridge lists but does not look into.
     *
     * <p>Thread safety: immutable.
     *
     * @param kind {@link Kind#MODULE}, {@link Kind#COMPONENT} or {@link Kind#CORE_FUNCTION}
     */
    record Other(Kind kind) implements ComponentItem {
        /**
         * Checks the kind.
         *
         * @param kind the kind
         * @throws NullPointerException if {@code kind} is null
         */
        public Other {
            Objects.requireNonNull(kind, "kind");
        }
    }
}
