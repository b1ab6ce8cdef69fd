;; Not a valid module: the function returns nothing but claims an i32 result.
(module
  (func (export "broken") (result i32)
    nop))
