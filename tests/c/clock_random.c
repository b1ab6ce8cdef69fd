// Clocks and randomness through WASI. Prints:
//   realtime_ms=<ms since the epoch>
//   monotonic_ok=<1 if the monotonic clock never went backwards over 1000 readings>
//   slept_ms=<monotonic milliseconds measured around nanosleep(20 ms)>
//   resolution_ns=<clock_getres(CLOCK_MONOTONIC)>
//   random1=<32 bytes of getentropy, hex>
//   random2=<32 more bytes, hex>
//   time=<time(NULL)>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int64_t ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) {
        perror("clock_gettime");
        return -1;
    }
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void hex(const char *name, const unsigned char *b, size_t n) {
    printf("%s=", name);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

int main(void) {
    printf("realtime_ms=%lld\n", (long long) (ns(CLOCK_REALTIME) / 1000000));
    int monotonic_ok = 1;
    int64_t prev = ns(CLOCK_MONOTONIC);
    for (int i = 0; i < 1000; i++) {
        int64_t now = ns(CLOCK_MONOTONIC);
        if (now < prev) {
            monotonic_ok = 0;
        }
        prev = now;
    }
    printf("monotonic_ok=%d\n", monotonic_ok);
    struct timespec nap = {0, 20 * 1000 * 1000};
    int64_t before = ns(CLOCK_MONOTONIC);
    if (nanosleep(&nap, NULL) != 0) {
        perror("nanosleep");
        return 1;
    }
    printf("slept_ms=%lld\n", (long long) ((ns(CLOCK_MONOTONIC) - before) / 1000000));
    struct timespec res;
    if (clock_getres(CLOCK_MONOTONIC, &res) != 0) {
        perror("clock_getres");
        return 1;
    }
    printf("resolution_ns=%lld\n", (long long) res.tv_sec * 1000000000 + res.tv_nsec);
    unsigned char r1[32], r2[32];
    if (getentropy(r1, sizeof r1) != 0 || getentropy(r2, sizeof r2) != 0) {
        perror("getentropy");
        return 1;
    }
    hex("random1", r1, sizeof r1);
    hex("random2", r2, sizeof r2);
    printf("time=%lld\n", (long long) time(NULL));
    return 0;
}
