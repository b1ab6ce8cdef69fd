package dev.wasmbridge;

/**
 * The type of an import or export: a function, global, table, memory or tag type.
 *
 * <p>Thread safety: all implementations are immutable.
 */
public sealed interface ExternType permits FuncType, GlobalType, TableType, MemoryType, TagType {
}
