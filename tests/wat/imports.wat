;; Imports another instance's memory and function (see LinkerTest).
(module
  (import "provider" "memory" (memory 1))
  (import "provider" "add" (func $add (param i32 i32) (result i32)))
  (import "env" "limit" (global i32))
  (func (export "add_at") (param i32) (result i32)
    local.get 0 i32.load
    global.get 0
    call $add))
