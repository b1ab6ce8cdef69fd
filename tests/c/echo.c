// Copies stdin to stdout with raw read/write calls, then reports the byte count on stderr.
// A failing write to stdout is reported on stderr ("stdout write failed: <strerror>") with exit code 3;
// a failing read of stdin likewise with exit code 4; a failing write of that count to stderr is exit code 5.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void report(const char *what, int err) {
    char line[160];
    int n = snprintf(line, sizeof line, "%s failed: %s (errno %d)\n", what, strerror(err), err);
    if (n > 0) {
        (void) write(2, line, (size_t) n);
    }
}

int main(void) {
    char buf[1000]; // not a power of two: reads and writes do not line up with the host's buffers
    long total = 0;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            report("stdin read", errno);
            return 4;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, (size_t) (n - off));
            if (w < 0) {
                report("stdout write", errno);
                return 3;
            }
            off += w;
        }
        total += n;
    }
    if (fprintf(stderr, "echoed %ld bytes\n", total) < 0) {
        return 5;
    }
    return 0;
}
