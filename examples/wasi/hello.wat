;; A WASI command written in WebAssembly text: prints "Hello, <first argument>!" (or "Hello, world!"
;; without one) and a newline on stdout, then returns from _start (exit code 0).
;;
;;   java -jar java/cli/target/wasmbridge.jar run examples/wasi/hello.wat Alice
;;
;; Memory layout (one 64 KiB page, grown when the arguments do not fit):
;;   0      argc              (args_sizes_get)
;;   4      argv buffer size  (args_sizes_get)
;;   8      bytes written     (fd_write)
;;   16     one iovec         (fd_write)
;;   64     "Hello, "
;;   72     "world"
;;   80     "!\n"
;;   1024   argv: argc pointers, then the argument strings, each ending in a zero byte (args_get)
(module
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param $argc_out i32) (param $buf_size_out i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get"
    (func $args_get (param $argv i32) (param $argv_buf i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param $fd i32) (param $iovs i32) (param $iovs_len i32) (param $written_out i32) (result i32)))

  (memory (export "memory") 1)
  (data (i32.const 64) "Hello, ")
  (data (i32.const 72) "world")
  (data (i32.const 80) "!\n")

  ;; The length of the zero-terminated string at $p.
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; Writes $len bytes at $p to stdout (fd 1). fd_write may write less than it is given (WASI, like
  ;; POSIX write, allows short writes), so write what is left until nothing is, or an error.
  (func $print (param $p i32) (param $len i32)
    (local $written i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 16) (local.get $p))
        (i32.store (i32.const 20) (local.get $len))
        (br_if $done (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 8)))
        (local.set $written (i32.load (i32.const 8)))
        (br_if $done (i32.eqz (local.get $written)))
        (local.set $p (i32.add (local.get $p) (local.get $written)))
        (local.set $len (i32.sub (local.get $len) (local.get $written)))
        (br $more))))

  (func (export "_start")
    (local $argc i32) (local $need i32) (local $name i32) (local $len i32)
    ;; Default name: "world".
    (local.set $name (i32.const 72))
    (local.set $len (i32.const 5))
    (block $no_argument
      ;; How many arguments, and how many bytes they take.
      (br_if $no_argument (call $args_sizes_get (i32.const 0) (i32.const 4)))
      (local.set $argc (i32.load (i32.const 0)))
      ;; argv[0] is the program's name: the name to greet is argv[1].
      (br_if $no_argument (i32.lt_u (local.get $argc) (i32.const 2)))
      ;; Grow the memory if 1024 + argc * 4 + buffer size bytes do not fit.
      (local.set $need
        (i32.add (i32.add (i32.const 1024) (i32.shl (local.get $argc) (i32.const 2)))
                 (i32.load (i32.const 4))))
      (if (i32.gt_u (local.get $need) (i32.shl (memory.size) (i32.const 16)))
        (then
          (br_if $no_argument
            (i32.eq (i32.const -1)
              (memory.grow
                (i32.sub
                  (i32.shr_u (i32.add (local.get $need) (i32.const 0xffff)) (i32.const 16))
                  (memory.size)))))))
      (br_if $no_argument
        (call $args_get (i32.const 1024)
          (i32.add (i32.const 1024) (i32.shl (local.get $argc) (i32.const 2)))))
      (local.set $name (i32.load (i32.const 1028)))
      (local.set $len (call $strlen (local.get $name))))
    (call $print (i32.const 64) (i32.const 7))         ;; "Hello, "
    (call $print (local.get $name) (local.get $len))    ;; the name
    (call $print (i32.const 80) (i32.const 2))))       ;; "!\n"
