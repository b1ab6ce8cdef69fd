// Dense double-precision matrix multiply, C = A * B for N x N matrices (N <= 128) in linear memory:
// floating point and many memory accesses (bounds checks for runtimes without guard pages).
#define EXPORT(name) __attribute__((export_name(name)))

#define MAX_N 128

static double A[MAX_N * MAX_N], B[MAX_N * MAX_N], C[MAX_N * MAX_N];

// Fills A and B deterministically and multiplies; returns a checksum of C (its trace, truncated).
EXPORT("matmul") int matmul(int n) {
    if (n < 1 || n > MAX_N) {
        return -1;
    }
    for (int i = 0; i < n * n; i++) {
        A[i] = (double)(i % 17) * 0.5 - 3.0;
        B[i] = (double)(i % 13) * 0.25 + 1.0;
    }
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            C[i * n + j] = 0.0;
        }
        for (int k = 0; k < n; k++) {
            double a = A[i * n + k];
            for (int j = 0; j < n; j++) {
                C[i * n + j] += a * B[k * n + j];
            }
        }
    }
    double trace = 0.0;
    for (int i = 0; i < n; i++) {
        trace += C[i * n + i];
    }
    return (int)trace;
}
