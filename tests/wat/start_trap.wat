;; A module whose start function traps: instantiation reports the trap.
(module
  (func $start unreachable)
  (start $start))
