/*
 * A real program for the benchmarks: SQLite (the amalgamation of the libsqlite3-sys crate) inserting and
 * querying rows in an in-memory database, compiled to a WASI preview 1 command by bench/build-sqlite.sh.
 *
 *   sqlite_bench [N]      (N rows, default 2000)
 *
 * Creates two tables in ":memory:", inserts N items in one transaction through a prepared statement, creates
 * an index, runs an aggregate, a join with GROUP BY, a LIKE scan, an indexed range, an ORDER BY .. LIMIT and
 * an UPDATE, and prints one line to stdout:
 *
 *   rows=N sum_price=S sum_qty=Q like=L range=C,R updated=U top=T checksum=H
 *
 * where H is the FNV-1a 64-bit hash (16 hex digits) of the text of every result row of every query (each
 * column's sqlite3_column_text, columns ended by '|', rows by '\n'), so that the Java test can recompute it
 * from the SQL. The data (for i = 1..N):
 *
 *   item(id = i, name = "item-" || i, category = i % 10, price = (i * 37) % 1000, qty = i % 7 + 1)
 *   category(id = c, label = "cat-" || c) for c = 0..9
 *
 * Exit status 0; on any SQLite error a message on stderr and exit status 1 (2 for a bad argument).
 *
 * Built with SQLITE_OS_OTHER=1: SQLite's own OS layers (unix, win32) are left out and this file provides the
 * one VFS, which opens no file at all (an in-memory database with SQLITE_TEMP_STORE=3 needs none), gives
 * fixed "random" bytes and a fixed time (a deterministic run), and never sleeps. So the module imports from
 * WASI preview 1 only what wasi-libc's start-up, argv and stdio need, and runs on every WASI preview 1: the
 * unix VFS would import fd_filestat_set_size, fd_sync and poll_oneoff (for ftruncate, fsync and usleep,
 * even when never called), which GraalWasm 23.1's WASI lacks, so that it refuses to instantiate the module.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite3.h"

/* The VFS: no files. */

static int vfs_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags) {
  (void)vfs, (void)name, (void)flags, (void)out_flags;
  file->pMethods = NULL;
  return SQLITE_CANTOPEN;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir) {
  (void)vfs, (void)name, (void)sync_dir;
  return SQLITE_IOERR_DELETE;
}

static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
  (void)vfs, (void)name, (void)flags;
  *result = 0;
  return SQLITE_OK;
}

static int vfs_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
  (void)vfs;
  sqlite3_snprintf(size, out, "%s", name);
  return SQLITE_OK;
}

static int vfs_randomness(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs;
  for (int i = 0; i < size; i++) {
    out[i] = (char)(i * 131 + 7);
  }
  return size;
}

static int vfs_sleep(sqlite3_vfs *vfs, int microseconds) {
  (void)vfs;
  return microseconds;
}

static int vfs_current_time(sqlite3_vfs *vfs, double *julian_day) {
  (void)vfs;
  *julian_day = 2461000.5; /* 2025-11-19, fixed */
  return SQLITE_OK;
}

static int vfs_get_last_error(sqlite3_vfs *vfs, int size, char *out) {
  (void)vfs, (void)size, (void)out;
  return 0;
}

static sqlite3_vfs memory_only_vfs = {
    .iVersion = 1,
    .szOsFile = sizeof(sqlite3_file),
    .mxPathname = 512,
    .zName = "memory-only",
    .xOpen = vfs_open,
    .xDelete = vfs_delete,
    .xAccess = vfs_access,
    .xFullPathname = vfs_full_pathname,
    .xRandomness = vfs_randomness,
    .xSleep = vfs_sleep,
    .xCurrentTime = vfs_current_time,
    .xGetLastError = vfs_get_last_error,
};

/* Called by sqlite3_initialize() when SQLITE_OS_OTHER=1. */
int sqlite3_os_init(void) {
  return sqlite3_vfs_register(&memory_only_vfs, 1);
}

int sqlite3_os_end(void) {
  return SQLITE_OK;
}

/* The program. */

static sqlite3 *db;
static uint64_t hash = 14695981039346656037ULL;

static void hash_bytes(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    hash ^= p[i];
    hash *= 1099511628211ULL;
  }
}

static void fail(const char *what) {
  fprintf(stderr, "sqlite_bench: %s: %s\n", what, db != NULL ? sqlite3_errmsg(db) : "no database");
  exit(1);
}

static void exec(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "sqlite_bench: %s: %s\n", sql, err != NULL ? err : "error");
    exit(1);
  }
}

static sqlite3_stmt *prepare(const char *sql) {
  sqlite3_stmt *stmt = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
    fail(sql);
  }
  return stmt;
}

/*
 * Runs a query, hashing every row; returns the number of rows and, when first is not NULL, the integer
 * values of the first row's columns (up to 4).
 */
static int query(const char *sql, sqlite3_int64 *first) {
  sqlite3_stmt *stmt = prepare(sql);
  int rows = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int columns = sqlite3_column_count(stmt);
    for (int c = 0; c < columns; c++) {
      const unsigned char *text = sqlite3_column_text(stmt, c);
      if (text != NULL) {
        hash_bytes(text, (size_t)sqlite3_column_bytes(stmt, c));
      }
      hash_bytes((const unsigned char *)"|", 1);
      if (rows == 0 && first != NULL && c < 4) {
        first[c] = sqlite3_column_int64(stmt, c);
      }
    }
    hash_bytes((const unsigned char *)"\n", 1);
    rows++;
  }
  if (rc != SQLITE_DONE) {
    fail(sql);
  }
  sqlite3_finalize(stmt);
  return rows;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
  if (n < 1 || n > 10000000) {
    fprintf(stderr, "sqlite_bench: N must be 1 to 10000000, not %s\n", argv[1]);
    return 2;
  }
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    fail("open :memory:");
  }
  exec("CREATE TABLE category(id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
       "CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT NOT NULL, category INTEGER NOT NULL,"
       " price INTEGER NOT NULL, qty INTEGER NOT NULL);");

  exec("BEGIN");
  sqlite3_stmt *cat = prepare("INSERT INTO category(id, label) VALUES (?1, 'cat-' || ?1)");
  for (int c = 0; c < 10; c++) {
    sqlite3_bind_int(cat, 1, c);
    if (sqlite3_step(cat) != SQLITE_DONE) {
      fail("insert category");
    }
    sqlite3_reset(cat);
  }
  sqlite3_finalize(cat);
  sqlite3_stmt *ins = prepare("INSERT INTO item(id, name, category, price, qty) VALUES (?1, ?2, ?3, ?4, ?5)");
  char name[32];
  for (long i = 1; i <= n; i++) {
    int len = snprintf(name, sizeof name, "item-%ld", i);
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_text(ins, 2, name, len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 3, i % 10);
    sqlite3_bind_int64(ins, 4, (i * 37) % 1000);
    sqlite3_bind_int64(ins, 5, i % 7 + 1);
    if (sqlite3_step(ins) != SQLITE_DONE) {
      fail("insert item");
    }
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  exec("COMMIT");
  exec("CREATE INDEX item_price ON item(price)");

  sqlite3_int64 total[4] = {0};
  query("SELECT count(*), sum(price), sum(qty) FROM item", total);
  query("SELECT c.label, count(*), sum(i.price * i.qty) FROM item i JOIN category c ON c.id = i.category"
        " GROUP BY c.id ORDER BY c.id", NULL);
  sqlite3_int64 like[4] = {0};
  query("SELECT count(*) FROM item WHERE name LIKE '%77%'", like);
  sqlite3_int64 range[4] = {0};
  query("SELECT count(*), sum(qty) FROM item WHERE price BETWEEN 100 AND 199", range);
  int top = query("SELECT id, name, price FROM item ORDER BY price DESC, id LIMIT 10", NULL);
  exec("UPDATE item SET qty = qty * 2 WHERE category = 3");
  int updated = sqlite3_changes(db);
  sqlite3_int64 after[4] = {0};
  query("SELECT sum(qty) FROM item", after);

  if (sqlite3_close(db) != SQLITE_OK) {
    fail("close");
  }
  printf("rows=%lld sum_price=%lld sum_qty=%lld like=%lld range=%lld,%lld updated=%d top=%d"
         " sum_qty_after=%lld checksum=%016llx\n",
         (long long)total[0], (long long)total[1], (long long)total[2], (long long)like[0],
         (long long)range[0], (long long)range[1], updated, top, (long long)after[0],
         (unsigned long long)hash);
  return 0;
}
