package dev.wasmbridge.component;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The type of a value that crosses a component's boundary (a WIT type), as Wasmtime sees it:
 * structurally, so a record has its field names but not the name the WIT package gave it (the
 * component's WIT text, {@link Component#wit()}, has those).
 *
 * <p>Each type's {@code toString()} gives the type in WIT syntax, with records, variants, enums and flags spelled
 * out inline ({@code record { x: s32, y: s32 }}).
 *
 * <p>Thread safety: immutable.
 */
public sealed interface WitType
        permits WitType.Primitive, WitType.ListOf, WitType.Record, WitType.Tuple, WitType.Variant, WitType.Enum,
        WitType.Option, WitType.Result, WitType.Flags, WitType.Own, WitType.Borrow, WitType.Unsupported {

    /**
     * The kind of a type.
     *
     * @return the kind
     */
    Kind kind();

    /**
     * The kinds of WIT types. {@link #UNSUPPORTED} stands for types of proposals wasmbridge cannot
     * pass yet ({@code map}, {@code future}, {@code stream}, {@code error-context}, fixed-length lists).
     *
     * <p>Thread safety: an immutable enum.
     */
    enum Kind {
        /** {@code bool}. */
        BOOL,
        /** {@code s8}. */
        S8,
        /** {@code u8}. */
        U8,
        /** {@code s16}. */
        S16,
        /** {@code u16}. */
        U16,
        /** {@code s32}. */
        S32,
        /** {@code u32}. */
        U32,
        /** {@code s64}. */
        S64,
        /** {@code u64}. */
        U64,
        /** {@code f32}. */
        F32,
        /** {@code f64}. */
        F64,
        /** {@code char}: a Unicode scalar value. */
        CHAR,
        /** {@code string}. */
        STRING,
        /** {@code list<T>}. */
        LIST,
        /** {@code record}. */
        RECORD,
        /** {@code tuple<...>}. */
        TUPLE,
        /** {@code variant}. */
        VARIANT,
        /** {@code enum}. */
        ENUM,
        /** {@code option<T>}. */
        OPTION,
        /** {@code result<T, E>}. */
        RESULT,
        /** {@code flags}. */
        FLAGS,
        /** {@code own<R>}: a resource handle passed with its ownership. */
        OWN,
        /** {@code borrow<R>}: a resource handle lent for the duration of a call. */
        BORROW,
        /** A type wasmbridge cannot pass yet. */
        UNSUPPORTED
    }

    /**
     * A type with no parts: {@code bool}, the integers, the floats, {@code char}, {@code string}.
     *
     * <p>Thread safety: immutable.
     *
     * @param kind one of {@link Kind#BOOL} to {@link Kind#STRING}
     */
    record Primitive(Kind kind) implements WitType {
        /**
         * Checks the kind.
         *
         * @param kind the kind
         * @throws IllegalArgumentException if {@code kind} is not a primitive one
         * @throws NullPointerException if {@code kind} is null
         */
        public Primitive {
            Objects.requireNonNull(kind, "kind");
            if (kind.ordinal() > Kind.STRING.ordinal()) {
                throw new IllegalArgumentException(kind + " is not a primitive type");
            }
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * {@code list<T>}.
     *
     * <p>Thread safety: immutable.
     *
     * @param element the element type
     */
    record ListOf(WitType element) implements WitType {
        /**
         * Checks the part.
         *
         * @param element the element type
         * @throws NullPointerException if {@code element} is null
         */
        public ListOf {
            Objects.requireNonNull(element, "element");
        }

        @Override
        public Kind kind() {
            return Kind.LIST;
        }

        @Override
        public String toString() {
            return "list<" + element + ">";
        }
    }

    /**
     * A named field of a record.
     *
     * <p>Thread safety: immutable.
     *
     * @param name the field's name, kebab-case as in WIT
     * @param type its type
     */
    record Field(String name, WitType type) {
        /**
         * Checks the parts.
         *
         * @param name the name
         * @param type the type
         * @throws NullPointerException if an argument is null
         */
        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return name + ": " + type;
        }
    }

    /**
     * {@code record { ... }}.
     *
     * <p>Thread safety: immutable.
     *
     * @param fields the fields, in order
     */
    record Record(List<Field> fields) implements WitType {
        /**
         * Copies the fields.
         *
         * @param fields the fields, in order
         * @throws NullPointerException if {@code fields} or one of them is null
         */
        public Record {
            fields = List.copyOf(fields);
        }

        @Override
        public Kind kind() {
            return Kind.RECORD;
        }

        @Override
        public String toString() {
            return fields.stream().map(Field::toString).collect(Collectors.joining(", ", "record { ", " }"));
        }
    }

    /**
     * {@code tuple<...>}.
     *
     * <p>Thread safety: immutable.
     *
     * @param types the element types, in order
     */
    record Tuple(List<WitType> types) implements WitType {
        /**
         * Copies the types.
         *
         * @param types the element types
         * @throws NullPointerException if {@code types} or one of them is null
         */
        public Tuple {
            types = List.copyOf(types);
        }

        @Override
        public Kind kind() {
            return Kind.TUPLE;
        }

        @Override
        public String toString() {
            return types.stream().map(Object::toString).collect(Collectors.joining(", ", "tuple<", ">"));
        }
    }

    /**
     * A case of a variant: a name, and the type of its payload if it has one.
     *
     * <p>Thread safety: immutable.
     *
     * @param name the case's name
     * @param type the payload's type, or empty
     */
    record Case(String name, Optional<WitType> type) {
        /**
         * Checks the parts.
         *
         * @param name the name
         * @param type the payload type, or empty
         * @throws NullPointerException if an argument is null
         */
        public Case {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }

        @Override
        public String toString() {
            return type.map(t -> name + "(" + t + ")").orElse(name);
        }
    }

    /**
     * {@code variant { ... }}.
     *
     * <p>Thread safety: immutable.
     *
     * @param cases the cases, in order
     */
    record Variant(List<Case> cases) implements WitType {
        /**
         * Copies the cases.
         *
         * @param cases the cases
         * @throws NullPointerException if {@code cases} or one of them is null
         */
        public Variant {
            cases = List.copyOf(cases);
        }

        @Override
        public Kind kind() {
            return Kind.VARIANT;
        }

        @Override
        public String toString() {
            return cases.stream().map(Case::toString).collect(Collectors.joining(", ", "variant { ", " }"));
        }
    }

    /**
     * {@code enum { ... }}.
     *
     * <p>Thread safety: immutable.
     *
     * @param names the cases' names, in order
     */
    record Enum(List<String> names) implements WitType {
        /**
         * Copies the names.
         *
         * @param names the names
         * @throws NullPointerException if {@code names} or one of them is null
         */
        public Enum {
            names = List.copyOf(names);
        }

        @Override
        public Kind kind() {
            return Kind.ENUM;
        }

        @Override
        public String toString() {
            return "enum { " + String.join(", ", names) + " }";
        }
    }

    /**
     * {@code option<T>}.
     *
     * <p>Thread safety: immutable.
     *
     * @param type the type of the value, when there is one
     */
    record Option(WitType type) implements WitType {
        /**
         * Checks the part.
         *
         * @param type the type
         * @throws NullPointerException if {@code type} is null
         */
        public Option {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public Kind kind() {
            return Kind.OPTION;
        }

        @Override
        public String toString() {
            return "option<" + type + ">";
        }
    }

    /**
     * {@code result<T, E>}; either side may have no type ({@code result<_, E>}, {@code result<T>},
     * {@code result}).
     *
     * <p>Thread safety: immutable.
     *
     * @param ok the type of the success value, or empty
     * @param err the type of the error value, or empty
     */
    record Result(Optional<WitType> ok, Optional<WitType> err) implements WitType {
        /**
         * Checks the parts.
         *
         * @param ok the success type, or empty
         * @param err the error type, or empty
         * @throws NullPointerException if an argument is null
         */
        public Result {
            Objects.requireNonNull(ok, "ok");
            Objects.requireNonNull(err, "err");
        }

        @Override
        public Kind kind() {
            return Kind.RESULT;
        }

        @Override
        public String toString() {
            if (ok.isEmpty() && err.isEmpty()) {
                return "result";
            }
            return "result<" + ok.map(Object::toString).orElse("_") + err.map(e -> ", " + e).orElse("") + ">";
        }
    }

    /**
     * {@code flags { ... }}.
     *
     * <p>Thread safety: immutable.
     *
     * @param names the flags' names, in order
     */
    record Flags(List<String> names) implements WitType {
        /**
         * Copies the names.
         *
         * @param names the names
         * @throws NullPointerException if {@code names} or one of them is null
         */
        public Flags {
            names = List.copyOf(names);
        }

        @Override
        public Kind kind() {
            return Kind.FLAGS;
        }

        @Override
        public String toString() {
            return "flags { " + String.join(", ", names) + " }";
        }
    }

    /**
     * {@code own<R>}.
     *
     * <p>Thread safety: immutable.
     *
     * @param resource the resource's name where the component names it ({@code wasi:io/streams.input-stream}),
     *     else {@code "resource"}
     */
    record Own(String resource) implements WitType {
        /**
         * Checks the part.
         *
         * @param resource the resource's name
         * @throws NullPointerException if {@code resource} is null
         */
        public Own {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public Kind kind() {
            return Kind.OWN;
        }

        @Override
        public String toString() {
            return "own<" + resource + ">";
        }
    }

    /**
     * {@code borrow<R>}.
     *
     * <p>Thread safety: immutable.
     *
     * @param resource the resource's name where the component names it, else {@code "resource"}
     */
    record Borrow(String resource) implements WitType {
        /**
         * Checks the part.
         *
         * @param resource the resource's name
         * @throws NullPointerException if {@code resource} is null
         */
        public Borrow {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public Kind kind() {
            return Kind.BORROW;
        }

        @Override
        public String toString() {
            return "borrow<" + resource + ">";
        }
    }

    /**
     * A type wasmbridge cannot pass yet (from the map, async or fixed-length-list proposals).
     *
     * <p>Thread safety: immutable.
     *
     * @param description what the type is, in WIT syntax where it has one
     */
    record Unsupported(String description) implements WitType {
        /**
         * Checks the part.
         *
         * @param description the description
         * @throws NullPointerException if {@code description} is null
         */
        public Unsupported {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public Kind kind() {
            return Kind.UNSUPPORTED;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
