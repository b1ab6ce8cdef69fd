package dev.wasmbridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wasmbridge.FuncType;
import dev.wasmbridge.GlobalType;
import dev.wasmbridge.MemoryType;
import dev.wasmbridge.TableType;
import dev.wasmbridge.TagType;
import dev.wasmbridge.ValType;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InspectorTest {
    @Test
    void types() {
        assertEquals("(func (param i32 i32))", Inspector.type(FuncType.of(List.of(ValType.I32, ValType.I32), List.of())));
        assertEquals("(func)", Inspector.type(FuncType.of(List.of(), List.of())));
        assertEquals("memory 1 16", Inspector.type(new MemoryType(1, OptionalLong.of(16), false, false, 65536)));
        assertEquals("memory i64 2", Inspector.type(new MemoryType(2, OptionalLong.empty(), true, false, 65536)));
        assertEquals("table 1 10 funcref", Inspector.type(new TableType(ValType.FUNCREF, 1, OptionalLong.of(10), false)));
        assertEquals("global (mut i64)", Inspector.type(new GlobalType(ValType.I64, true)));
        assertEquals("global f32", Inspector.type(new GlobalType(ValType.F32, false)));
        assertEquals("tag (func (param i32))", Inspector.type(new TagType(FuncType.of(List.of(ValType.I32), List.of()))));
    }

    @Test
    void namesAreQuotedOnlyWhenTheyMustBe() {
        assertEquals("add", Inspector.name("add"));
        assertEquals("a.b-c$d/é", Inspector.name("a.b-c$d/é"));
        assertEquals("\"\"", Inspector.name(""));
        assertEquals("\"a name\"", Inspector.name("a name"));
        assertEquals("\"a:b\"", Inspector.name("a:b"));
        assertEquals("\"say \\\"hi\\\" \\\\o/\"", Inspector.name("say \"hi\" \\o/"));
        assertEquals("\"tab\\u{9}nl\\u{a}\"", Inspector.name("tab\tnl\n"));
    }
}
