;; The component behind src/main/wit/calc.wit (world `calculator`), in component WAT: exports
;; example:calc/arithmetic.
(component
  (core module $M
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))
    (func (export "classify") (param i32) (result i32)
      (if (i32.lt_s (local.get 0) (i32.const 0)) (then (return (i32.const 0))))
      (if (i32.eqz (local.get 0)) (then (return (i32.const 1))))
      (i32.const 2)))
  (core instance $m (instantiate $M))
  (type $sign (enum "negative" "zero" "positive"))
  (func $add (param "a" s32) (param "b" s32) (result s32) (canon lift (core func $m "add")))
  (func $classify (param "n" s32) (result $sign) (canon lift (core func $m "classify")))
  (instance $arithmetic
    (export "sign" (type $sign))
    (export "add" (func $add))
    (export "classify" (func $classify)))
  (export "example:calc/arithmetic@1.0.0" (instance $arithmetic)))
