;; A WASI command that calls proc_exit with 200, a code WASI does not allow (0 to 125 only).
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (call $proc_exit (i32.const 200))
    unreachable))
