(module
  (global (export "counter") (mut i32) (i32.const 7))
  (global (export "pi") f64 (f64.const 3.141592653589793))
  (global (export "big") (mut i64) (i64.const -1))
  (global (export "vec") (mut v128) (v128.const i64x2 1 2))
  (global (export "ref") (mut externref) (ref.null extern))
  (func (export "get_counter") (result i32) global.get 0)
  (func (export "inc") global.get 0 i32.const 1 i32.add global.set 0))
