// File operations in a preopened directory. Usage:
//   files rw DIR   create, write, read, stat, rename, mkdir, list, delete; leaves DIR/b.txt
//                  ("hello, preopen\n") and DIR/given.txt behind
//   files ro DIR   reads DIR/given.txt and lists DIR, then tries every kind of write, each of which must be
//                  refused ("<what>: refused (<strerror>)"; "<what>: ALLOWED" if it was not)
// DIR/given.txt is put there by the host beforehand. Every step prints one line; a failing step of
// "rw" prints "<step> failed: <strerror>" and exits with 1.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *dir;

static const char *at(const char *name) {
    static char paths[4][512];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

static void fail(const char *step) {
    printf("%s failed: %s\n", step, strerror(errno));
    exit(1);
}

static void write_file(const char *path, const char *text, int flags) {
    int fd = open(path, O_WRONLY | flags, 0644);
    if (fd < 0) {
        fail("open for writing");
    }
    size_t len = strlen(text);
    if (write(fd, text, len) != (ssize_t) len) {
        fail("write");
    }
    if (close(fd) != 0) {
        fail("close");
    }
}

static void print_file(const char *label, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fail(label);
    }
    char buf[256];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    printf("%s: %s", label, buf);
    if (n == 0 || buf[n - 1] != '\n') {
        printf("\n");
    }
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void list(const char *label, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        fail(label);
    }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            names[n++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, (size_t) n, sizeof names[0], by_name);
    printf("%s:", label);
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
}

static void refused(const char *what, int result) {
    if (result < 0) {
        printf("%s: refused (%s)\n", what, strerror(errno));
    } else {
        printf("%s: ALLOWED\n", what);
    }
}

static int try_open(const char *path, int flags) {
    int fd = open(path, flags, 0644);
    if (fd >= 0) {
        close(fd);
    }
    return fd;
}

static int read_write(void) {
    write_file(at("a.txt"), "hello, preopen\n", O_CREAT | O_EXCL);
    printf("create: ok\n");
    if (try_open(at("a.txt"), O_WRONLY | O_CREAT | O_EXCL) >= 0 || errno != EEXIST) {
        fail("O_EXCL on an existing file");
    }
    printf("exclusive create of an existing file: refused (%s)\n", strerror(EEXIST));
    print_file("read a.txt", at("a.txt"));
    struct stat st;
    if (stat(at("a.txt"), &st) != 0) {
        fail("stat");
    }
    printf("size: %lld, regular: %d\n", (long long) st.st_size, S_ISREG(st.st_mode) ? 1 : 0);
    if (rename(at("a.txt"), at("b.txt")) != 0) {
        fail("rename");
    }
    if (access(at("a.txt"), F_OK) == 0 || errno != ENOENT) {
        fail("a.txt still there after rename");
    }
    printf("rename: ok\n");
    print_file("read b.txt", at("b.txt"));
    if (mkdir(at("sub"), 0755) != 0) {
        fail("mkdir");
    }
    write_file(at("sub/c.txt"), "c\n", O_CREAT | O_TRUNC);
    write_file(at("sub/c.txt"), "more\n", O_APPEND);
    print_file("read sub/c.txt", at("sub/c.txt"));
    list("list", dir);
    list("list sub", at("sub"));
    print_file("read given.txt", at("given.txt"));
    if (unlink(at("sub/c.txt")) != 0) {
        fail("unlink");
    }
    if (rmdir(at("sub")) != 0) {
        fail("rmdir");
    }
    printf("delete: ok\n");
    list("list", dir);
    return 0;
}

static int read_only(void) {
    print_file("read given.txt", at("given.txt"));
    list("list", dir);
    refused("create", try_open(at("new.txt"), O_WRONLY | O_CREAT));
    refused("open for writing", try_open(at("given.txt"), O_WRONLY));
    refused("open for appending", try_open(at("given.txt"), O_WRONLY | O_APPEND));
    refused("truncate", try_open(at("given.txt"), O_WRONLY | O_TRUNC));
    refused("mkdir", mkdir(at("newdir"), 0755));
    refused("rename", rename(at("given.txt"), at("renamed.txt")));
    refused("unlink", unlink(at("given.txt")));
    refused("symlink", symlink("given.txt", at("link")));
    print_file("read given.txt again", at("given.txt"));
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: files rw|ro DIR\n");
        return 2;
    }
    dir = argv[2];
    if (strcmp(argv[1], "rw") == 0) {
        return read_write();
    }
    if (strcmp(argv[1], "ro") == 0) {
        return read_only();
    }
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
