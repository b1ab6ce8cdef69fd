;; A component importing test:junit/host's double(x: s32) -> s32 and exporting, in the interface
;; test:junit/math, quadruple(x) = double(double(x)) (ComponentExtensionTest).
(component
  (import "test:junit/host" (instance $host (export "double" (func (param "x" s32) (result s32)))))
  (alias export $host "double" (func $double))
  (core func $double-low (canon lower (func $double)))
  (core module $m
    (import "host" "double" (func $d (param i32) (result i32)))
    (func (export "quadruple") (param i32) (result i32) (call $d (call $d (local.get 0)))))
  (core instance $hi (export "double" (func $double-low)))
  (core instance $i (instantiate $m (with "host" (instance $hi))))
  (func $q (param "x" s32) (result s32) (canon lift (core func $i "quadruple")))
  (instance $math (export "quadruple" (func $q)))
  (export "test:junit/math" (instance $math)))
