;; The component behind src/main/wit/calc.wit (world `calculator`), in component WAT: imports
;; example:calc/audit (told each sum add computes) and exports example:calc/arithmetic.
(component
  (import "example:calc/audit@1.0.0" (instance $audit (export "observe" (func (param "sum" s32)))))
  (alias export $audit "observe" (func $observe))
  (core func $observe-low (canon lower (func $observe)))
  (core instance $audit-low (export "observe" (func $observe-low)))
  (core module $M
    (import "audit" "observe" (func $observe (param i32)))
    (func (export "add") (param i32 i32) (result i32)
      (local $sum i32)
      (local.set $sum (i32.add (local.get 0) (local.get 1)))
      (call $observe (local.get $sum))
      (local.get $sum))
    (func (export "classify") (param i32) (result i32)
      (if (i32.lt_s (local.get 0) (i32.const 0)) (then (return (i32.const 0))))
      (if (i32.eqz (local.get 0)) (then (return (i32.const 1))))
      (i32.const 2)))
  (core instance $m (instantiate $M (with "audit" (instance $audit-low))))
  (type $sign (enum "negative" "zero" "positive"))
  (func $add (param "a" s32) (param "b" s32) (result s32) (canon lift (core func $m "add")))
  (func $classify (param "n" s32) (result $sign) (canon lift (core func $m "classify")))
  (instance $arithmetic
    (export "sign" (type $sign))
    (export "add" (func $add))
    (export "classify" (func $classify)))
  (export "example:calc/arithmetic@1.0.0" (instance $arithmetic)))
