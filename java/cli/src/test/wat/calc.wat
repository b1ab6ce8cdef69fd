;; A component (no imports) for `wasmbridge run --invoke` with WAVE arguments and `inspect`:
;;   add: func(a: u32, b: u32) -> u32            wrapping add
;;   greet: func(name: string) -> string         "Hello, <name>!"
;;   sum: func(xs: list<s64>) -> s64
;;   nothing: func()
;;   trap: func()                                `unreachable`
;;   export instance "test:cli/math": mul: func(a: s32, b: s32) -> s32
(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (data (i32.const 16) "Hello, ")
    ;; A bump allocator: never frees.
    (func $alloc (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32)
          (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $align))))
      (global.set $bump (i32.add (local.get $p) (local.get $size)))
      (local.get $p))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    ;; The result string's (pointer, length) pair at address 0.
    (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32)
      (local.set $out (call $alloc (i32.const 0) (i32.const 0) (i32.const 1) (i32.add (local.get $len) (i32.const 8))))
      (memory.copy (local.get $out) (i32.const 16) (i32.const 7))
      (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $ptr) (local.get $len))
      (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 7))) (i32.const 33))
      (i32.store (i32.const 0) (local.get $out))
      (i32.store (i32.const 4) (i32.add (local.get $len) (i32.const 8)))
      (i32.const 0))
    (func (export "sum") (param $ptr i32) (param $n i32) (result i64)
      (local $acc i64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (i64.add (local.get $acc) (i64.load (local.get $ptr))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 8)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $acc))
    (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1)))
    (func (export "nothing"))
    (func (export "trap") unreachable))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "greet") (param "name" string) (result string)
    (canon lift (core func $i "greet") (memory $mem) (realloc $realloc) string-encoding=utf8))
  (func (export "sum") (param "xs" (list s64)) (result s64)
    (canon lift (core func $i "sum") (memory $mem) (realloc $realloc)))
  (func (export "nothing")
    (canon lift (core func $i "nothing")))
  (func (export "trap")
    (canon lift (core func $i "trap")))
  (func $mul (param "a" s32) (param "b" s32) (result s32)
    (canon lift (core func $i "mul")))
  (instance $math (export "mul" (func $mul)))
  (export "test:cli/math" (instance $math)))
