// Ends in the way its first argument names:
//   return0 / returnN   return from main (wasi-libc's _start calls proc_exit only for a nonzero status)
//   exit0 / exitN       exit(N): flushes stdio, then proc_exit(N), 0 included
//   abort               abort(): a wasm trap (unreachable), not an exit
// Prints "bye" on stdout first (buffered: it shows only if stdio is flushed).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: exit return<N>|exit<N>|abort\n");
        return 2;
    }
    printf("bye");
    const char *how = argv[1];
    if (strncmp(how, "return", 6) == 0) {
        return atoi(how + 6);
    }
    if (strncmp(how, "exit", 4) == 0) {
        exit(atoi(how + 4));
    }
    if (strcmp(how, "abort") == 0) {
        abort();
    }
    fprintf(stderr, "unknown mode %s\n", how);
    return 2;
}
