package dev.wasmbridge.graal;

import dev.wasmbridge.Table;
import dev.wasmbridge.ValType;
import java.util.List;
import java.util.Objects;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A wasm {@link Table} as a polyglot value: an array of its elements ({@code table[0]}, {@code
 * table.length}) with the members {@code size()}, {@code get(index)}, {@code set(index, value)},
 * {@code grow(delta, init)} (returns the old size; {@code init} may be left out for null) and {@code
 * type} (the element type, {@code "funcref"} or {@code "externref"}). A funcref element is a callable
 * {@link WasmFunction} ({@code table.get(0)()}); an externref element is the object stored. Elements
 * convert as {@link WasmFunction}'s arguments and results do.
 *
 * <p>Thread safety: like the table's {@link dev.wasmbridge.Store}, one thread at a time; see {@link
 * PolyglotWasm}.
 */
public final class WasmTable implements ProxyArray, ProxyObject {
    private static final List<String> MEMBERS = List.of("size", "get", "set", "grow", "type");

    private final Table table;
    private final ProxyExecutable size;
    private final ProxyExecutable get;
    private final ProxyExecutable set;
    private final ProxyExecutable grow;

    WasmTable(Table table) {
        this.table = Objects.requireNonNull(table, "table");
        this.size = a -> {
            Convert.arity(a, 0, 0, "size");
            return table.size();
        };
        this.get = a -> {
            Convert.arity(a, 1, 1, "get");
            return element(Convert.toLong(a, 0, "get"));
        };
        this.set = a -> {
            Convert.arity(a, 2, 2, "set");
            table.set(Convert.toLong(a, 0, "set"), Convert.toWasm(elementType(), a[1], "table element"));
            return null;
        };
        this.grow = a -> {
            Convert.arity(a, 1, 2, "grow");
            Object init = a.length > 1 ? Convert.toWasm(elementType(), a[1], "table element") : null;
            return table.grow(Convert.toLong(a, 0, "grow"), init);
        };
    }

    /**
     * The wrapped table.
     *
     * @return the table
     */
    public Table table() {
        return table;
    }

    private ValType elementType() {
        return table.type().element();
    }

    private Object element(long index) {
        return Convert.toGuest(elementType(), table.get(index));
    }

    /**
     * The element at {@code index}.
     *
     * @param index the index
     * @return a {@link WasmFunction}, the stored object, or null
     * @throws ArrayIndexOutOfBoundsException if {@code index} is outside the table
     */
    @Override
    public Object get(long index) {
        try {
            return element(index);
        } catch (IndexOutOfBoundsException e) {
            throw new ArrayIndexOutOfBoundsException(e.getMessage());
        }
    }

    /**
     * Replaces the element at {@code index}.
     *
     * @param index the index
     * @param value a {@link WasmFunction} or null for a funcref table, anything for an externref table
     * @throws ArrayIndexOutOfBoundsException if {@code index} is outside the table
     * @throws IllegalArgumentException if {@code value} does not fit the element type
     */
    @Override
    public void set(long index, Value value) {
        Object element = Convert.toWasm(elementType(), value, "table element");
        try {
            table.set(index, element);
        } catch (IndexOutOfBoundsException e) {
            throw new ArrayIndexOutOfBoundsException(e.getMessage());
        }
    }

    /**
     * The number of elements.
     *
     * @return the size
     */
    @Override
    public long getSize() {
        return table.size();
    }

    /**
     * A member: {@code size}, {@code get}, {@code set}, {@code grow} or {@code type}.
     *
     * @param key the member's name
     * @return its value, or null if there is no such member
     */
    @Override
    public Object getMember(String key) {
        switch (key) {
            case "size":
                return size;
            case "get":
                return get;
            case "set":
                return set;
            case "grow":
                return grow;
            case "type":
                return elementType().toString();
            default:
                return null;
        }
    }

    /**
     * The members' names.
     *
     * @return {@code size}, {@code get}, {@code set}, {@code grow}, {@code type}
     */
    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(List.<Object>copyOf(MEMBERS));
    }

    /**
     * Whether {@code key} is a member.
     *
     * @param key the name
     * @return whether it is one
     */
    @Override
    public boolean hasMember(String key) {
        return MEMBERS.contains(key);
    }

    /**
     * Refused: a table's members are read-only (change elements with element access or {@code set}).
     *
     * @param key the name
     * @param value the value
     * @throws UnsupportedOperationException always
     */
    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a wasm table's members are read-only");
    }

    /**
     * The type, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "wasm table " + table.type();
    }
}
