;; A WASI command whose _start traps two calls deep: "trapper!inner" under "trapper!outer".
(module $trapper
  (memory (export "memory") 1)
  (func $inner unreachable)
  (func $outer (call $inner))
  (func (export "_start") (call $outer)))
