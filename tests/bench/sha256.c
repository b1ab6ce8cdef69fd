// SHA-256 (FIPS 180-4) over a buffer in linear memory. The host writes up to 1 MiB at input_ptr(),
// calls sha256(len) and reads the 32-byte digest at the returned address. No libc.
#define EXPORT(name) __attribute__((export_name(name)))

typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned char u8;

#define INPUT_SIZE (1 << 20)

static u8 input[INPUT_SIZE];
static u8 digest[32];

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline u32 rotr(u32 x, int n) { return (x >> n) | (x << (32 - n)); }

static void block(u32 h[8], const u8 *p) {
    u32 w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 | (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        u32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        u32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        u32 t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        u32 t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

EXPORT("input_ptr") u8 *input_ptr(void) { return input; }

// Hashes input[0..len) and returns the address of the digest (big-endian bytes), or 0 if len is too big.
EXPORT("sha256") u8 *sha256(int len) {
    if (len < 0 || len > INPUT_SIZE) {
        return 0;
    }
    u32 h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    int full = len / 64;
    for (int i = 0; i < full; i++) {
        block(h, input + 64 * i);
    }
    u8 tail[128];
    int rest = len - 64 * full;
    for (int i = 0; i < 128; i++) {
        tail[i] = 0;
    }
    for (int i = 0; i < rest; i++) {
        tail[i] = input[64 * full + i];
    }
    tail[rest] = 0x80;
    int tailLen = rest + 9 <= 64 ? 64 : 128;
    u64 bits = (u64)len * 8;
    for (int i = 0; i < 8; i++) {
        tail[tailLen - 1 - i] = (u8)(bits >> (8 * i));
    }
    block(h, tail);
    if (tailLen == 128) {
        block(h, tail + 64);
    }
    for (int i = 0; i < 8; i++) {
        digest[4 * i] = (u8)(h[i] >> 24);
        digest[4 * i + 1] = (u8)(h[i] >> 16);
        digest[4 * i + 2] = (u8)(h[i] >> 8);
        digest[4 * i + 3] = (u8)h[i];
    }
    return digest;
}
