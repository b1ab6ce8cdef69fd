// Tries to leave the preopened directory SANDBOX (a guest path) every way it can. Usage:
//   escape SANDBOX HOST_SECRET
// HOST_SECRET is the host's absolute path of a file outside the sandbox. The host prepares SANDBOX with
// inside.txt, link-file (a symlink to HOST_SECRET), link-dir (a symlink to HOST_SECRET's directory) and
// link-up (a relative symlink "../"), and sub/ (an empty directory). SANDBOX may be "/".
// Every attempt prints one line "<attempt>: refused (<reason>)" or "<attempt>: ESCAPED <detail>"; the
// control attempts, which stay inside, print "control ...: ok"; the last line is "done".
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *sandbox;

static const char *in(const char *rel) {
    static char paths[4][1024];
    static int next;
    char *p = paths[next++ % 4];
    size_t n = strlen(sandbox);
    snprintf(p, sizeof paths[0], "%s%s%s", sandbox, n > 0 && sandbox[n - 1] == '/' ? "" : "/", rel);
    return p;
}

static void refused(const char *what) {
    printf("%s: refused (%s)\n", what, strerror(errno));
}

// Opens and reads a file; an escape if it succeeds.
static void try_read(const char *what, const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        refused(what);
        return;
    }
    char buf[64] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("%s: ESCAPED read %zd bytes: %s\n", what, n, buf);
}

static void try_create(const char *what, const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        refused(what);
        return;
    }
    (void) write(fd, "planted\n", 8);
    close(fd);
    printf("%s: ESCAPED created %s\n", what, path);
}

static void try_stat(const char *what, const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        refused(what);
        return;
    }
    printf("%s: ESCAPED stat gave inode %llu\n", what, (unsigned long long) st.st_ino);
}

static void try_list(const char *what, const char *path) {
    DIR *d = opendir(path);
    if (!d) {
        refused(what);
        return;
    }
    struct dirent *e;
    printf("%s: ESCAPED listing:", what);
    while ((e = readdir(d)) != NULL) {
        printf(" %s", e->d_name);
    }
    printf("\n");
    closedir(d);
}

// path_open straight through the WASI call, relative to the directory fd `dir`: libc cannot help here.
static void try_raw(const char *what, int dir, const char *path, __wasi_lookupflags_t lookup) {
    __wasi_fd_t fd;
    __wasi_errno_t err = __wasi_path_open((__wasi_fd_t) dir, lookup, path, 0,
            __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    if (err != 0) {
        errno = err;
        refused(what);
        return;
    }
    char buf[64] = {0};
    ssize_t n = read((int) fd, buf, sizeof buf - 1);
    close((int) fd);
    printf("%s: ESCAPED read %zd bytes: %s\n", what, n, buf);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: escape SANDBOX HOST_SECRET\n");
        return 2;
    }
    sandbox = argv[1];
    const char *secret = argv[2];
    const char *name = strrchr(secret, '/') ? strrchr(secret, '/') + 1 : secret;
    char up[512], up2[512], up_create[512];
    snprintf(up, sizeof up, "../%s", name);
    snprintf(up2, sizeof up2, "sub/../../%s", name);
    snprintf(up_create, sizeof up_create, "../planted-by-dotdot.txt");

    // The sandbox itself works: this proves the refusals below are about the paths.
    int control = open(in("inside.txt"), O_RDONLY);
    if (control < 0) {
        refused("control read inside.txt");
        return 1;
    }
    close(control);
    printf("control read inside.txt: ok\n");

    // ".." in the path
    try_read("dotdot read", in(up));
    try_read("dotdot via subdirectory", in(up2));
    try_create("dotdot create", in(up_create));
    try_stat("dotdot stat", in(".."));
    try_list("dotdot list", in(".."));
    if (rename(in("inside.txt"), in("../moved-out.txt")) == 0) {
        printf("dotdot rename: ESCAPED moved inside.txt out\n");
    } else {
        refused("dotdot rename");
    }
    if (link(in(up), in("hardlink")) == 0) {
        printf("dotdot hard link: ESCAPED\n");
    } else {
        refused("dotdot hard link");
    }

    // The host's absolute path
    try_read("absolute host path", secret);
    char planted[600];
    snprintf(planted, sizeof planted, "%.*s/planted-by-absolute.txt", (int) (name - 1 - secret), secret);
    try_create("absolute create", planted);

    // Raw WASI calls on the sandbox's directory fd, bypassing wasi-libc's path handling
    int dir = open(sandbox, O_RDONLY | O_DIRECTORY);
    if (dir < 0) {
        refused("control open sandbox directory");
        return 1;
    }
    printf("control open sandbox directory: ok\n");
    try_raw("raw dotdot", dir, up, 0);
    try_raw("raw absolute", dir, secret, 0);
    try_raw("raw symlink", dir, "link-file", __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW);
    close(dir);

    // Symlinks inside the sandbox that point outside
    try_read("symlink to a file outside", in("link-file"));
    char via_dir[600];
    snprintf(via_dir, sizeof via_dir, "link-dir/%s", name);
    try_read("symlink to a directory outside", in(via_dir));
    try_create("create through a symlinked directory", in("link-dir/planted-by-symlink.txt"));
    try_list("list a symlinked directory", in("link-dir"));
    char via_up[600];
    snprintf(via_up, sizeof via_up, "link-up/%s", name);
    try_read("relative symlink upwards", in(via_up));
    try_create("write through a symlink to a file outside", in("link-file"));

    // Symlinks the guest makes itself
    if (symlink(secret, in("made-absolute")) == 0) {
        try_read("guest-made absolute symlink", in("made-absolute"));
    } else {
        refused("guest-made absolute symlink");
    }
    if (symlink(up, in("made-dotdot")) == 0) {
        try_read("guest-made dotdot symlink", in("made-dotdot"));
    } else {
        refused("guest-made dotdot symlink");
    }
    printf("done\n");
    return 0;
}
