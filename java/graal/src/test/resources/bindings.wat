;; A component with computed results for the adapter's component tests (ComponentJsTest, PythonTest).
;;   root:                          greet: func(name: string) -> string          "hello, " + name
;;   export "test:bindings/api@0.1.0":
;;     sum-pair: func(p: pair) -> u32                                          first-value + second-value (wrapping)
;;     swap-pair: func(p: pair) -> pair                                        the fields swapped
;;     checked-div: func(a: s32, b: s32) -> result<s32, div-error>             a / b, or why not
;;     stats: func(xs: list<s32>) -> option<min-max>                          none for an empty list
;;     signs: func(xs: list<s32>) -> list<result<u32, s32>>                   ok(x) for x >= 0, else err(x)
;;   pair = record { first-value: u32, second-value: u32 }
;;   div-error = enum { divide-by-zero, overflow }
;;   min-max = record { low: s32, high: s32 }
;; Results that flatten to more than one value are written to the return area at 16. Each function
;; takes at most one string or list, so realloc always hands out the same block at 1024 (up to
;; 60000 bytes); signs writes its list at 32768 (up to 4096 elements).
(component
  (core module $M
    (memory (export "memory") 1)
    (data (i32.const 32) "hello, ")
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (if (i32.gt_u (local.get 3) (i32.const 60000)) (then unreachable))
      (i32.const 1024))
    (func (export "greet") (param $p i32) (param $n i32) (result i32)
      (memory.copy (i32.const 1031) (local.get $p) (local.get $n))
      (memory.copy (i32.const 1024) (i32.const 32) (i32.const 7))
      (i32.store (i32.const 16) (i32.const 1024))
      (i32.store (i32.const 20) (i32.add (local.get $n) (i32.const 7)))
      (i32.const 16))
    (func (export "sum-pair") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))
    (func (export "swap-pair") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 1))
      (i32.store (i32.const 20) (local.get 0))
      (i32.const 16))
    (func (export "checked-div") (param $a i32) (param $b i32) (result i32)
      (if (i32.eqz (local.get $b))
        (then
          (i32.store8 (i32.const 16) (i32.const 1))
          (i32.store8 (i32.const 20) (i32.const 0))
          (return (i32.const 16))))
      (if (i32.and (i32.eq (local.get $a) (i32.const 0x80000000)) (i32.eq (local.get $b) (i32.const -1)))
        (then
          (i32.store8 (i32.const 16) (i32.const 1))
          (i32.store8 (i32.const 20) (i32.const 1))
          (return (i32.const 16))))
      (i32.store8 (i32.const 16) (i32.const 0))
      (i32.store (i32.const 20) (i32.div_s (local.get $a) (local.get $b)))
      (i32.const 16))
    (func (export "stats") (param $p i32) (param $n i32) (result i32)
      (local $i i32) (local $x i32) (local $lo i32) (local $hi i32)
      (if (i32.eqz (local.get $n))
        (then
          (i32.store8 (i32.const 16) (i32.const 0))
          (return (i32.const 16))))
      (local.set $lo (i32.load (local.get $p)))
      (local.set $hi (local.get $lo))
      (local.set $i (i32.const 1))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $x (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
          (if (i32.lt_s (local.get $x) (local.get $lo)) (then (local.set $lo (local.get $x))))
          (if (i32.gt_s (local.get $x) (local.get $hi)) (then (local.set $hi (local.get $x))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (i32.store8 (i32.const 16) (i32.const 1))
      (i32.store (i32.const 20) (local.get $lo))
      (i32.store (i32.const 24) (local.get $hi))
      (i32.const 16))
    ;; result<u32, s32> is 8 bytes: the case at 0, the value at 4.
    (func (export "signs") (param $p i32) (param $n i32) (result i32)
      (local $i i32) (local $x i32) (local $out i32)
      (if (i32.gt_u (local.get $n) (i32.const 4096)) (then unreachable))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
          (local.set $x (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))
          (local.set $out (i32.add (i32.const 32768) (i32.shl (local.get $i) (i32.const 3))))
          (i32.store8 (local.get $out) (i32.lt_s (local.get $x) (i32.const 0)))
          (i32.store (i32.add (local.get $out) (i32.const 4)) (local.get $x))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (i32.store (i32.const 16) (i32.const 32768))
      (i32.store (i32.const 20) (local.get $n))
      (i32.const 16))
  )
  (core instance $m (instantiate $M))
  (alias core export $m "memory" (core memory $memory))
  (alias core export $m "realloc" (core func $realloc))

  (type $pair (record (field "first-value" u32) (field "second-value" u32)))
  (type $div-error (enum "divide-by-zero" "overflow"))
  (type $min-max (record (field "low" s32) (field "high" s32)))

  (func $sum-pair (param "p" $pair) (result u32)
    (canon lift (core func $m "sum-pair")))
  (func $swap-pair (param "p" $pair) (result $pair)
    (canon lift (core func $m "swap-pair") (memory $memory)))
  (func $checked-div (param "a" s32) (param "b" s32) (result (result s32 (error $div-error)))
    (canon lift (core func $m "checked-div") (memory $memory)))
  (func $stats (param "xs" (list s32)) (result (option $min-max))
    (canon lift (core func $m "stats") (memory $memory) (realloc $realloc)))
  (func $signs (param "xs" (list s32)) (result (list (result u32 (error s32))))
    (canon lift (core func $m "signs") (memory $memory) (realloc $realloc)))

  ;; A "bag of exports" instance: its type exports come before the functions that use them.
  (instance $api
    (export "pair" (type $pair))
    (export "div-error" (type $div-error))
    (export "min-max" (type $min-max))
    (export "sum-pair" (func $sum-pair))
    (export "swap-pair" (func $swap-pair))
    (export "checked-div" (func $checked-div))
    (export "stats" (func $stats))
    (export "signs" (func $signs)))
  (export "test:bindings/api@0.1.0" (instance $api))

  (func (export "greet") (param "name" string) (result string)
    (canon lift (core func $m "greet") (memory $memory) (realloc $realloc) string-encoding=utf8))
)
