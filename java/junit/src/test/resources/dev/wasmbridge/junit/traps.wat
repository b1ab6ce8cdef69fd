;; Functions that trap: unreachable, division by zero, an endless loop (for fuel).
(module
  (func (export "boom") unreachable)
  (func (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "spin")
    (loop $again (br $again))))
