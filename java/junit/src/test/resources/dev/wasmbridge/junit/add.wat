;; add(i32, i32) -> i32, a counter that lives in the instance, and "hello" at address 16 of its memory.
(module
  (memory (export "memory") 1)
  (data (i32.const 16) "hello")
  (global $count (mut i32) (i32.const 0))
  (func (export "add") (param i32 i32) (result i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.add (local.get 0) (local.get 1)))
  (func (export "count") (result i32)
    (global.get $count)))
