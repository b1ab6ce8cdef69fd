;; The component of the component-call benchmarks (java/bench ComponentCall, tools/bench-rust
;; component.*). Hand-written component WAT, no toolchain; root exports, no imports:
;;
;;   add:         func(a: u32, b: u32) -> u32         wrapping i32.add (the call overhead)
;;   echo-string: func(s: string) -> string           a fresh copy of the string
;;   echo-record: func(r: rec) -> rec                 a fresh copy of the record (its string too)
;;   echo-bytes:  func(b: list<u8>) -> list<u8>       a fresh copy of the bytes
;;
;;   rec = record { a: u32, b: u64, c: f64, d: string, e: bool }
;;
;; The echoes are honest: each writes its result into newly allocated guest memory (memory.copy of
;; the argument's bytes, the record's fields stored one by one) and never hands the argument's own
;; buffer back, so a call costs what a real guest that returns new data would cost: the host lowers
;; the argument into guest memory (cabi_realloc + copy), the guest copies it, the host lifts the copy.
;;
;; Memory: cabi_realloc is a bump allocator over [HEAP_BASE, ...) that grows the memory as needed.
;; The functions that allocate have a post-return (Wasmtime calls it after lifting the results,
;; automatically since Wasmtime 37) that resets the bump pointer to HEAP_BASE, so repeated calls reuse
;; the same few pages: at most three for a 64 KiB echo (argument, copy, and the first page). Results
;; that flatten to more than one value come back through a static return area at RET (wit-bindgen's
;; shape); the arguments flatten to at most 6 values, so they are passed flat.
;;
;; Memory layouts (canonical ABI):
;;   string, list<u8>: (ptr: u32 @0, len: u32 @4), size 8, align 4; len is bytes for both
;;   rec: a u32 @0, b u64 @8, c f64 @16, d (ptr @24, len @28), e u8 @32; size 40, align 8
;;   flat rec (the export's parameters): a i32, b i64, c f64, d.ptr i32, d.len i32, e i32
;;
;; A root export that uses a named type must refer to the type's export ($rec-e): only exported (or
;; imported) types are named, and validation requires the export before the function that uses it.
(component $bench
  (core module $M
    (memory (export "memory") 1)
    ;; 16..56: the return area (8-aligned, 40 bytes: the largest result, rec). The heap starts at 64.
    (global $heap (mut i32) (i32.const 64))

    ;; Bump allocation of `size` bytes aligned to `align` (a power of two), growing the memory.
    (func $alloc (param $align i32) (param $size i32) (result i32)
      (local $ptr i32) (local $end i32)
      (local.set $ptr
        (i32.and (i32.sub (i32.add (global.get $heap) (local.get $align)) (i32.const 1))
                 (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $size)))
      ;; Wrapped past 4 GiB: no such allocation can succeed.
      (if (i32.lt_u (local.get $end) (local.get $ptr)) (then unreachable))
      ;; Grow to ceil(end / 64 KiB) pages when end lies past the memory.
      (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
        (then
          (if (i32.eq
                (memory.grow
                  (i32.sub (i32.add (i32.shr_u (i32.sub (local.get $end) (i32.const 1)) (i32.const 16))
                                    (i32.const 1))
                           (memory.size)))
                (i32.const -1))
            (then unreachable))))
      (global.set $heap (local.get $end))
      (local.get $ptr))

    (func (export "cabi_realloc")
        (param $old_ptr i32) (param $old_size i32) (param $align i32) (param $new_size i32)
        (result i32)
      (local $ptr i32)
      (local.set $ptr (call $alloc (local.get $align) (local.get $new_size)))
      ;; A real reallocation keeps the old contents (Wasmtime itself only ever passes old_size 0).
      (if (local.get $old_size)
        (then
          (memory.copy (local.get $ptr) (local.get $old_ptr)
            (select (local.get $old_size) (local.get $new_size)
                    (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ptr))

    ;; A fresh copy of `len` bytes at `src`.
    (func $copy (param $src i32) (param $len i32) (result i32)
      (local $dst i32)
      (local.set $dst (call $alloc (i32.const 1) (local.get $len)))
      (memory.copy (local.get $dst) (local.get $src) (local.get $len))
      (local.get $dst))

    ;; Post-return of every allocating export: everything allocated for the call (the lowered
    ;; argument and the result's copy) is dead once the host has lifted the result.
    (func (export "reset") (param i32)
      (global.set $heap (i32.const 64)))

    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))

    ;; string and list<u8> have the same flat form and layout: (ptr, len) in, a pointer to
    ;; (ptr, len) out.
    (func $echo-buffer (param $ptr i32) (param $len i32) (result i32)
      (i32.store offset=16 (i32.const 0) (call $copy (local.get $ptr) (local.get $len)))
      (i32.store offset=20 (i32.const 0) (local.get $len))
      (i32.const 16))
    (func (export "echo-string") (param i32 i32) (result i32)
      (call $echo-buffer (local.get 0) (local.get 1)))
    (func (export "echo-bytes") (param i32 i32) (result i32)
      (call $echo-buffer (local.get 0) (local.get 1)))

    (func (export "echo-record")
        (param $a i32) (param $b i64) (param $c f64) (param $dptr i32) (param $dlen i32) (param $e i32)
        (result i32)
      (i32.store offset=16 (i32.const 0) (local.get $a))
      (i64.store offset=24 (i32.const 0) (local.get $b))
      (f64.store offset=32 (i32.const 0) (local.get $c))
      (i32.store offset=40 (i32.const 0) (call $copy (local.get $dptr) (local.get $dlen)))
      (i32.store offset=44 (i32.const 0) (local.get $dlen))
      ;; bool: the flat i32 is 0 or 1 as lowered by the host; stored as one byte.
      (i32.store8 offset=48 (i32.const 0) (local.get $e))
      (i32.const 16))
  )
  (core instance $m (instantiate $M))
  (alias core export $m "memory" (core memory $memory))
  (alias core export $m "cabi_realloc" (core func $realloc))
  (alias core export $m "reset" (core func $reset))

  (type $rec (record (field "a" u32) (field "b" u64) (field "c" f64) (field "d" string) (field "e" bool)))
  (export $rec-e "rec" (type $rec))

  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add")))
  (func (export "echo-string") (param "s" string) (result string)
    (canon lift (core func $m "echo-string") (memory $memory) (realloc $realloc) string-encoding=utf8
      (post-return $reset)))
  (func (export "echo-record") (param "r" $rec-e) (result $rec-e)
    (canon lift (core func $m "echo-record") (memory $memory) (realloc $realloc) string-encoding=utf8
      (post-return $reset)))
  (func (export "echo-bytes") (param "b" (list u8)) (result (list u8))
    (canon lift (core func $m "echo-bytes") (memory $memory) (realloc $realloc)
      (post-return $reset)))
)
