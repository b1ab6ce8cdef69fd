;; A WASI command that prints the guest path of the first preopened directory (fd 3) on one line,
;; then the contents of the file input.txt in it. Without a preopened directory, or without the file,
;; it prints "cannot open input.txt" on stderr and exits with code 1.
(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0: prestat (tag, name length); 8: opened fd; 12: bytes read; 16: read iovec; 24: write iovec;
  ;; 32: bytes written
  (data (i32.const 100) "input.txt")
  (data (i32.const 120) "cannot open input.txt\n")
  (data (i32.const 150) "\n")

  ;; Writes $len bytes at $p to $fd, again after a short write.
  (func $write (param $fd i32) (param $p i32) (param $len i32)
    (local $n i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 24) (local.get $p))
        (i32.store (i32.const 28) (local.get $len))
        (br_if $done (call $fd_write (local.get $fd) (i32.const 24) (i32.const 1) (i32.const 32)))
        (local.set $n (i32.load (i32.const 32)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $p (i32.add (local.get $p) (local.get $n)))
        (local.set $len (i32.sub (local.get $len) (local.get $n)))
        (br $more))))

  (func $fail
    (call $write (i32.const 2) (i32.const 120) (i32.const 22))
    (call $proc_exit (i32.const 1)))

  (func (export "_start")
    (local $fd i32) (local $n i32)
    ;; The preopened directory's guest path, at 1024.
    (if (call $fd_prestat_get (i32.const 3) (i32.const 0)) (then (call $fail)))
    (local.set $n (i32.load (i32.const 4)))
    (if (call $fd_prestat_dir_name (i32.const 3) (i32.const 1024) (local.get $n)) (then (call $fail)))
    (call $write (i32.const 1) (i32.const 1024) (local.get $n))
    (call $write (i32.const 1) (i32.const 150) (i32.const 1))
    ;; path_open(dirfd 3, no symlink following, "input.txt", no oflags, rights fd_read, no inheriting, no fdflags)
    (if (call $path_open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 9) (i32.const 0)
          (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 8))
      (then (call $fail)))
    (local.set $fd (i32.load (i32.const 8)))
    ;; Copy to stdout, 4 KiB at a time from 4096.
    (block $eof
      (loop $more
        (i32.store (i32.const 16) (i32.const 4096))
        (i32.store (i32.const 20) (i32.const 4096))
        (if (call $fd_read (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 12)) (then (call $fail)))
        (local.set $n (i32.load (i32.const 12)))
        (br_if $eof (i32.eqz (local.get $n)))
        (call $write (i32.const 1) (i32.const 4096) (local.get $n))
        (br $more)))))
