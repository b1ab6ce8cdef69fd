;; A WASI command that prints each argument (argv[0] included), then each environment variable
;; (NAME=VALUE), one per line. Assumes they fit in memory from 1024 (arguments) and 32768 (environment).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "\n")

  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Writes $len bytes at $p to stdout, again after a short write.
  (func $write (param $p i32) (param $len i32)
    (local $n i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 16) (local.get $p))
        (i32.store (i32.const 20) (local.get $len))
        (br_if $done (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (local.set $len (i32.sub (local.get $len) (local.get $n)))
        (br $more))))

  ;; Writes the zero-terminated string at $p and a newline to stdout.
  (func $puts (param $p i32)
    (call $write (local.get $p) (call $strlen (local.get $p)))
    (call $write (i32.const 100) (i32.const 1)))

  ;; Prints the $count strings whose pointers start at $list.
  (func $print_all (param $list i32) (param $count i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $count)))
        (call $puts (i32.load (i32.add (local.get $list) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func (export "_start")
    (local $n i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $n (i32.load (i32.const 0)))
    (drop (call $args_get (i32.const 1024) (i32.add (i32.const 1024) (i32.shl (local.get $n) (i32.const 2)))))
    (call $print_all (i32.const 1024) (local.get $n))
    (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
    (local.set $n (i32.load (i32.const 0)))
    (drop (call $environ_get (i32.const 32768) (i32.add (i32.const 32768) (i32.shl (local.get $n) (i32.const 2)))))
    (call $print_all (i32.const 32768) (local.get $n))))
