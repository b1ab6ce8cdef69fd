// The wasm -> host round trip: host_loop(n) calls the imported env.add n times.
#define EXPORT(name) __attribute__((export_name(name)))

__attribute__((import_module("env"), import_name("add"))) int host_add(int a, int b);

EXPORT("host_loop") int host_loop(int n) {
    int acc = 0;
    for (int i = 0; i < n; i++) {
        acc = host_add(acc, i);
    }
    return acc;
}
