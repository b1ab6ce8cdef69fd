;; Functions of every number type, for `run --invoke`.
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "half32") (param f32) (result f32) (f32.div (local.get 0) (f32.const 2)))
  (func (export "half64") (param f64) (result f64) (f64.div (local.get 0) (f64.const 2)))
  (func (export "swap") (param i32 f64) (result f64 i32) (local.get 1) (local.get 0))
  (func (export "same128") (param v128) (result v128) (local.get 0))
  (func (export "nothing"))
  (global (export "counter") (mut i32) (i32.const 0)))
