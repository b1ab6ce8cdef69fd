;; Imports and exports of every kind, for `inspect`.
(module
  (import "env" "log" (func (param i32 i32)))
  (import "env" "memory" (memory 1))
  (import "env" "limit" (global i64))
  (import "env" "table" (table 2 externref))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (memory (export "heap") 1 16)
  (table (export "funcs") 1 10 funcref)
  (global (export "counter") (mut i32) (i32.const 0))
  (global (export "max") f64 (f64.const 1))
  (func (export "a name with spaces")))
