;; Does not compile: the function claims an i32 result and returns nothing.
(module
  (func (export "f") (result i32)))
