;; A misbehaving plugin: its handler takes memory a megabyte at a time, writing to all of it, until
;; memory.grow fails (the store's memory limit), and then gives up with a trap, as an allocator
;; that cannot allocate would.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param $len i32) (result i32) (i32.const 1024))
  (func (export "handle") (param $ptr i32) (param $len i32) (result i64)
    (local $old i32)
    (loop $more
      (local.set $old (memory.grow (i32.const 16)))
      (if (i32.eq (local.get $old) (i32.const -1)) (then unreachable))
      (memory.fill (i32.shl (local.get $old) (i32.const 16)) (i32.const 0xAB) (i32.const 1048576))
      (br $more))
    (i64.const 0)))
