;; Runaway code for fuel, deadline and interrupt tests.
(module
  (func (export "forever") (loop $l (br $l)))
  (func (export "count") (param i32) (result i32) (local $i i32)
    (loop $l
      local.get $i i32.const 1 i32.add local.set $i
      local.get $i local.get 0 i32.lt_u br_if $l)
    local.get $i))
