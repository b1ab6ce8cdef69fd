;; A module that imports a function no one defines.
(module
  (import "env" "log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $log (i32.const 0) (i32.const 0))))
