// Pure functions for the differential tests (GraalWasm vs the adapter on Wasmtime): no libc, no imports,
// built by java/graal/pom.xml with clang-14 --target=wasm32 -nostdlib. Memory arguments are addresses in
// the exported "memory"; the tests write their inputs at BUF and read results back.
#define EXPORT(name) __attribute__((export_name(#name)))

typedef unsigned int u32;
typedef unsigned long long u64;

static volatile int sink;

EXPORT(buf) int buf(void) {
    static char area[4096];
    return (int) (long) area;
}

EXPORT(add) int add(int a, int b) { return a + b; }

EXPORT(fib) long long fib(int n) {
    long long a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        long long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

EXPORT(gcd) int gcd(int a, int b) {
    while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

// i32.div_s and i32.rem_s: trap on a zero divisor and (div) on INT_MIN / -1.
EXPORT(div_s) int div_s(int a, int b) { return a / b; }
EXPORT(rem_u) u32 rem_u(u32 a, u32 b) { return a % b; }
EXPORT(div_i64) long long div_i64(long long a, long long b) { return a / b; }

EXPORT(collatz) int collatz(u32 n) {
    int steps = 0;
    while (n > 1) {
        n = (n & 1) ? 3 * n + 1 : n / 2;
        steps++;
    }
    return steps;
}

EXPORT(mix64) u64 mix64(u64 x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

EXPORT(hypot2) double hypot2(double x, double y) { return __builtin_sqrt(x * x + y * y); }
EXPORT(lerpf) float lerpf(float a, float b, float t) { return a + (b - a) * t; }
EXPORT(fdiv) double fdiv(double a, double b) { return a / b; }
EXPORT(to_int) int to_int(double d) { return (int) d; }

EXPORT(crc32) u32 crc32(const unsigned char *p, int len) {
    u32 crc = 0xffffffffu;
    for (int i = 0; i < len; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

// Upper-cases ASCII letters in place; returns how many it changed.
EXPORT(upper) int upper(char *p, int len) {
    int changed = 0;
    for (int i = 0; i < len; i++) {
        if (p[i] >= 'a' && p[i] <= 'z') {
            p[i] = (char) (p[i] - 'a' + 'A');
            changed++;
        }
    }
    return changed;
}

// Sorts n ints in place (insertion sort); returns the number of moves.
EXPORT(sort_ints) int sort_ints(int *p, int n) {
    int moves = 0;
    for (int i = 1; i < n; i++) {
        int v = p[i];
        int j = i - 1;
        while (j >= 0 && p[j] > v) {
            p[j + 1] = p[j];
            j--;
            moves++;
        }
        p[j + 1] = v;
    }
    return moves;
}

// A load at any address: out of bounds traps.
EXPORT(load_at) int load_at(int addr) { return *(volatile int *) (long) addr; }

EXPORT(trap) void trap(void) { __builtin_trap(); }

// Not a tail call (the volatile store after it), so deep enough recursion exhausts the wasm stack.
EXPORT(recurse) int recurse(int n) {
    if (n <= 0) {
        return sink;
    }
    int r = recurse(n - 1);
    sink = r;
    return r + 1;
}
