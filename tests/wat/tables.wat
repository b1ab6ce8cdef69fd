(module
  (table (export "funcs") 2 10 funcref)
  (table (export "refs") 1 externref)
  (func $one (export "one") (result i32) i32.const 1)
  (func $two (result i32) i32.const 2)
  (elem (i32.const 0) $one $two)
  (type $r (func (result i32)))
  (func (export "call_at") (param i32) (result i32) local.get 0 call_indirect (type $r)))
