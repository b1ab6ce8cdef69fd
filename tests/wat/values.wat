;; Identity and arithmetic over every value type, and multi-value results.
(module
  (func (export "id_i32") (param i32) (result i32) local.get 0)
  (func (export "id_i64") (param i64) (result i64) local.get 0)
  (func (export "id_f32") (param f32) (result f32) local.get 0)
  (func (export "id_f64") (param f64) (result f64) local.get 0)
  (func (export "id_v128") (param v128) (result v128) local.get 0)
  (func (export "id_funcref") (param funcref) (result funcref) local.get 0)
  (func (export "id_externref") (param externref) (result externref) local.get 0)
  (func (export "is_null_externref") (param externref) (result i32) local.get 0 ref.is_null)
  (func (export "swap") (param i64 f64) (result f64 i64) local.get 1 local.get 0)
  (func (export "three") (result i32 i64 f32) i32.const 1 i64.const 2 f32.const 3.5)
  (func (export "noop"))
  (func (export "mixed") (param i32 i64 f32 f64) (result f64)
    local.get 0 f64.convert_i32_s
    local.get 1 f64.convert_i64_s f64.add
    local.get 2 f64.promote_f32 f64.add
    local.get 3 f64.add)
  (func (export "i32x4_add") (param v128 v128) (result v128) local.get 0 local.get 1 i32x4.add)
  (func $fortytwo (export "fortytwo") (result i32) i32.const 42)
  (func (export "get_fortytwo_ref") (result funcref) ref.func $fortytwo)
  (func (export "call_ref") (param funcref) (result i32)
    i32.const 0 local.get 0 table.set $t
    i32.const 0 call_indirect $t (result i32))
  (table $t 1 funcref))
