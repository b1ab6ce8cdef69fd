;; A start function (run by instantiation) that calls WASI proc_exit with the code stored at address 0,
;; which the data segment sets to 7.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "\07\00\00\00")
  (func $start
    (call $proc_exit (i32.load (i32.const 0))))
  (start $start))
