(module
  (memory (export "memory") 1 3)
  (data (i32.const 16) "hello, wasm")
  (func (export "load_i32") (param i32) (result i32) local.get 0 i32.load)
  (func (export "store_i64") (param i32 i64) local.get 0 local.get 1 i64.store)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "size") (result i32) memory.size)
  (func (export "sum") (param i32 i32) (result i32) (local $acc i32)
    (block $done
      (loop $next
        local.get 1 i32.eqz br_if $done
        local.get $acc local.get 0 i32.load8_u i32.add local.set $acc
        local.get 0 i32.const 1 i32.add local.set 0
        local.get 1 i32.const 1 i32.sub local.set 1
        br $next))
    local.get $acc))
