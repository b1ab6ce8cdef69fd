package dev.wasmbridge.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The SQLite program of {@link Sqlite} (no timing): every runtime prints the same summary line, and that
 * line is the one the SQL must give, recomputed here in Java (counts, sums and the FNV-1a hash of the text
 * of every result row). Runs a row count other than the program's default and the benchmark's, so that a
 * runtime that lost the argument would fail. The {@code graalwasmJit} row needs a JVM started with the Graal
 * compiler, so it is checked by its benchmark only (its state refuses to run interpreted).
 */
class SqliteTest {
    /** Rows per run here: not 2000 (the program's default), small enough for the interpreters. */
    private static final int ROWS = 777;

    /** FNV-1a 64 over bytes, as the driver hashes result rows. */
    private static final class Fnv {
        long hash = 0xcbf29ce484222325L;

        /** Hashes one row: each column's text followed by '|', then '\n' (a NULL column hashes no text). */
        void row(Object... columns) {
            for (Object c : columns) {
                if (c != null) {
                    bytes(c.toString());
                }
                bytes("|");
            }
            bytes("\n");
        }

        private void bytes(String s) {
            for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
                hash ^= b & 0xff;
                hash *= 0x100000001b3L;
            }
        }
    }

    /**
     * The line {@code sqlite_bench n} must print, from the data the driver inserts: item {@code i} of {@code 1..n}
     * has name {@code "item-" + i}, category {@code i % 10}, price {@code i * 37 % 1000}, qty {@code i % 7 + 1}.
     */
    static String expected(int n) {
        Fnv h = new Fnv();
        long sumPrice = 0;
        long sumQty = 0;
        long[] count = new long[10];
        long[] value = new long[10];
        long like = 0;
        long range = 0;
        long rangeQty = 0;
        long updated = 0;
        long updatedQty = 0;
        List<long[]> items = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            long price = i * 37 % 1000;
            long qty = i % 7 + 1;
            int category = (int) (i % 10);
            sumPrice += price;
            sumQty += qty;
            count[category]++;
            value[category] += price * qty;
            if (("item-" + i).contains("77")) {
                like++;
            }
            if (price >= 100 && price <= 199) {
                range++;
                rangeQty += qty;
            }
            if (category == 3) {
                updated++;
                updatedQty += qty;
            }
            items.add(new long[] {i, price});
        }
        // SELECT count(*), sum(price), sum(qty) FROM item
        h.row(n, sumPrice, sumQty);
        // The join grouped by category, in category order (categories without items give no row).
        for (int c = 0; c < 10; c++) {
            if (count[c] > 0) {
                h.row("cat-" + c, count[c], value[c]);
            }
        }
        h.row(like);
        // count(*) and sum(qty) of the price range: sum of no rows is NULL.
        h.row(range, range == 0 ? null : rangeQty);
        items.sort(Comparator.<long[]>comparingLong(r -> -r[1]).thenComparingLong(r -> r[0]));
        int top = Math.min(10, n);
        for (long[] r : items.subList(0, top)) {
            h.row(r[0], "item-" + r[0], r[1]);
        }
        // The UPDATE doubled the qty of category 3.
        long after = sumQty + updatedQty;
        h.row(after);
        return String.format("rows=%d sum_price=%d sum_qty=%d like=%d range=%d,%d updated=%d top=%d"
                + " sum_qty_after=%d checksum=%016x%n", n, sumPrice, sumQty, like, range, rangeQty, updated, top,
                after, h.hash);
    }

    /** Runs {@code runner} twice (a new instance each time) and checks both outputs. */
    private static void check(String name, IntFunction<SqliteRunner> make) {
        try (SqliteRunner r = make.apply(ROWS)) {
            String want = expected(ROWS);
            assertEquals(want, r.run(), name);
            assertEquals(want, r.run(), name + ", second run");
        }
    }

    @Test
    void expectedLineSpotChecks() {
        // Hand-checked figures for 2000 rows: sum(price) = 2 * (0 + 1 + ... + 999) (i*37 mod 1000 runs
        // through every residue once per 1000), sum(qty) = 285 weeks of 28 plus 1..5 of the last 5 rows.
        String line = expected(2000);
        assertTrue(line.startsWith("rows=2000 sum_price=999000 sum_qty=8000 like=38 range=200,800 updated=200 top=10"
                + " sum_qty_after=8804 checksum="), line);
    }

    @Test
    void wasmbridge() {
        check("wasmbridge", SqliteWasmbridge::new);
        // The benchmark's own size too.
        try (SqliteRunner r = new SqliteWasmbridge(SqliteRunner.ROWS)) {
            assertEquals(expected(SqliteRunner.ROWS), r.run());
        }
    }

    @Test
    void wasmbridgeReportsAnError() {
        // Zero rows is refused by the driver: a message on stderr and exit status 2.
        try (SqliteRunner r = new SqliteWasmbridge(0)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertTrue(e.getMessage().contains("exited with 2: sqlite_bench: N must be"), e.getMessage());
        }
    }

    @Test
    void endiveInterpreter() {
        check("endiveInterpreter", rows -> new SqliteEndive(false, rows));
    }

    @Test
    void endiveCompiler() {
        check("endiveCompiler", rows -> new SqliteEndive(true, rows));
    }

    @Test
    void chicoryCompiler() {
        check("chicoryCompiler", rows -> new SqliteChicory(true, rows));
    }

    @Test
    void graalwasm() {
        check("graalwasm", rows -> new SqliteGraal(false, rows));
    }

    @Test
    void wasmtimeJava() {
        check("wasmtimeJava", SqliteWasmtimeJava::new);
    }
}
