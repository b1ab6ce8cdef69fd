// Call-overhead kernels: a trivial (i32, i32) -> i32 export and recursive Fibonacci.
// No imports, no libc: the module is also the "small module instantiated per request".
#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("add") int add(int a, int b) { return a + b; }

EXPORT("fib") int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
