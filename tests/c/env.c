// Prints its environment, one "NAME=value" per line in the order WASI gives it; with arguments, prints
// "NAME=value" or "NAME unset" for each name given instead.
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            const char *value = getenv(argv[i]);
            if (value) {
                printf("%s=%s\n", argv[i], value);
            } else {
                printf("%s unset\n", argv[i]);
            }
        }
        return 0;
    }
    int n = 0;
    for (char **e = environ; e && *e; e++, n++) {
        printf("%s\n", *e);
    }
    fprintf(stderr, "%d variables\n", n);
    return 0;
}
