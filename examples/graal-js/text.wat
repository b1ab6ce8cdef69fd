;; Text processing in linear memory, for the GraalJS example (text.js). The script writes a UTF-8 string
;; into memory at an address from alloc, calls title_case on it and reads the result back.
(module
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (data (i32.const 0) "title_case: done")

  ;; alloc(len) -> address of len fresh bytes (a bump allocator: nothing is ever freed).
  (func (export "alloc") (param $len i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $len)))
    (local.get $p))

  ;; title_case(ptr, len) -> words: upper-cases the first letter of every word (a run of ASCII
  ;; letters) in place, calls env.log with a message in memory, and returns the number of words.
  (func (export "title_case") (param $p i32) (param $len i32) (result i32)
    (local $i i32) (local $c i32) (local $inword i32) (local $words i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $p) (local.get $i))))
        ;; an ASCII letter: (c | 32) - 'a' < 26, unsigned
        (if (i32.lt_u (i32.sub (i32.or (local.get $c) (i32.const 32)) (i32.const 97)) (i32.const 26))
          (then
            (if (i32.eqz (local.get $inword))
              (then
                (local.set $words (i32.add (local.get $words) (i32.const 1)))
                (if (i32.ge_u (local.get $c) (i32.const 97))
                  (then
                    (i32.store8 (i32.add (local.get $p) (local.get $i))
                                (i32.sub (local.get $c) (i32.const 32)))))))
            (local.set $inword (i32.const 1)))
          (else
            (local.set $inword (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $log (i32.const 0) (i32.const 16))
    (local.get $words)))
