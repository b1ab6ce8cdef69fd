;; A well-behaved plugin: answers "Hello, <request body>!".
;;
;; The plugin contract (see PluginService): the module exports its memory, "alloc" and "handle".
;;   alloc(len i32) -> i32          room for the request body; 0 if there is none
;;   handle(ptr i32, len i32) -> i64 the response as (address << 32) | length, in the same memory
;; It may import env.log(ptr, len) to add a line to the request's log.
(module
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 0) "Hello, ")
  (data (i32.const 16) "greet: answering")

  ;; A bump allocator that grows the memory when it must; 0 when it cannot.
  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $ptr i32) (local $end i32) (local $pages i32)
    (local.set $ptr (global.get $heap))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (if (i32.lt_u (local.get $end) (local.get $ptr)) (then (return (i32.const 0))))
    (local.set $pages
      (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16)) (memory.size)))
    (if (i32.gt_s (local.get $pages) (i32.const 0))
      (then (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1))
        (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (local.get $ptr))

  (func (export "handle") (param $ptr i32) (param $len i32) (result i64)
    (local $out i32) (local $outLen i32)
    (call $log (i32.const 16) (i32.const 16))
    (local.set $outLen (i32.add (local.get $len) (i32.const 8)))
    (local.set $out (call $alloc (local.get $outLen)))
    (if (i32.eqz (local.get $out)) (then unreachable))
    (memory.copy (local.get $out) (i32.const 0) (i32.const 7))
    (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $ptr) (local.get $len))
    (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 7))) (i32.const 33))
    (i64.or (i64.shl (i64.extend_i32_u (local.get $out)) (i64.const 32))
            (i64.extend_i32_u (local.get $outLen)))))
