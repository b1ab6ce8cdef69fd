;; Probes a store's WASI context one call at a time (the WASI tests; C would hide the raw errno values).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "probe\n")

  ;; The number of arguments.
  (func (export "argc") (result i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (i32.load (i32.const 0)))

  ;; The number of environment variables.
  (func (export "envc") (result i32)
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (i32.load (i32.const 0)))

  ;; The errno of fd_prestat_get(fd): 0 for a preopened directory, 8 (EBADF) otherwise.
  (func (export "prestat") (param $fd i32) (result i32)
    (call $fd_prestat_get (local.get $fd) (i32.const 8)))

  ;; Writes "probe\n" to stdout: the bytes written, or minus the errno.
  (func (export "write_stdout") (result i32)
    (local $errno i32)
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 6))
    (local.set $errno (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (if (result i32) (local.get $errno)
      (then (i32.sub (i32.const 0) (local.get $errno)))
      (else (i32.load (i32.const 24)))))

  ;; Reads up to 256 bytes of stdin to address 1024: the bytes read (0 at end of file), or minus the errno.
  (func (export "read_stdin") (result i32)
    (local $errno i32)
    (i32.store (i32.const 16) (i32.const 1024))
    (i32.store (i32.const 20) (i32.const 256))
    (local.set $errno (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)))
    (if (result i32) (local.get $errno)
      (then (i32.sub (i32.const 0) (local.get $errno)))
      (else (i32.load (i32.const 24)))))

  ;; The errno of random_get for 16 bytes at address 2048.
  (func (export "random") (result i32)
    (call $random_get (i32.const 2048) (i32.const 16)))

  ;; proc_exit(code): never returns.
  (func (export "exit") (param $code i32)
    (call $proc_exit (local.get $code))))
