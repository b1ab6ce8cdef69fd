;; Imports a host function that a @BeforeEach method defines in the test's linker.
(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (func (export "quad") (param i32) (result i32)
    (call $twice (call $twice (local.get 0)))))
