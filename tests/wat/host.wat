;; Calls Java host functions (see HostFunctionTest).
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32 i32)))
  (import "env" "swap" (func $swap (param i64 f64) (result f64 i64)))
  (import "env" "fail" (func $fail))
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (import "env" "ref" (func $ref (param externref) (result externref)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello from wasm")
  (func (export "call_add") (param i32 i32) (result i32) local.get 0 local.get 1 call $add)
  (func (export "call_log") i32.const 0 i32.const 15 call $log)
  (func (export "call_swap") (param i64 f64) (result f64 i64) local.get 0 local.get 1 call $swap)
  (func (export "call_fail") call $fail)
  (func (export "call_ref") (param externref) (result externref) local.get 0 call $ref)
  ;; depth: 0 returns 1; otherwise asks the host, which calls back "countdown" with depth-1.
  (func (export "countdown") (param i32) (result i32)
    local.get 0 i32.eqz
    if (result i32)
      i32.const 1
    else
      local.get 0 call $reenter i32.const 1 i32.add
    end))
