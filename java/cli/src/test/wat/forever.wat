;; A WASI command that never returns: for --fuel and --timeout.
(module
  (memory (export "memory") 1)
  (func $spin (export "spin") (loop $forever (br $forever)))
  (func (export "_start") (call $spin)))
