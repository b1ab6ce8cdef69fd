package dev.wasmbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StandardStreams} in child JVMs started with a standard descriptor closed (by {@code sh}):
 * the JVM reuses it for a file of its own, and that descriptor must not count as inherited. The
 * child reports {@link StandardStreams#inherited(int)} for 0, 1 and 2 as the bits of its exit
 * status, leaving out a descriptor on {@code /dev/null} (with all three closed, the JVM opens that
 * on 1 and 2 itself: the same as not inheriting). (WasiTest runs a guest through the same
 * situation.)
 */
class StandardStreamsTest {
    @Test
    @Timeout(60)
    void openDescriptorsAreInherited() throws Exception {
        assertEquals(0b111, child(""));
    }

    @ParameterizedTest(name = "descriptor {0} closed")
    @ValueSource(ints = {0, 1, 2})
    @Timeout(60)
    void aDescriptorClosedAtStartIsNotInherited(int fd) throws Exception {
        assertEquals(0b111 & ~(1 << fd), child(" " + fd + ">&-"));
    }

    @Test
    @Timeout(60)
    void allThreeClosed() throws Exception {
        assertEquals(0, child(" 0>&- 1>&- 2>&-"));
    }

    @Test
    @Timeout(60)
    void aDescriptorClosedAndReusedAfterTheFirstLookIsNotInherited() throws Exception {
        assertEquals(0b110, child("", "reuse"));
    }

    /** Runs {@link Child} with {@code redirections} applied by {@code sh}; its exit status. */
    private static int child(String redirections, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\"" + redirections, "sh", java,
                "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(50, TimeUnit.SECONDS));
        return p.exitValue();
    }

    /** The child: exit status bit N set when descriptor N counts as inherited and is not /dev/null. */
    static final class Child {
        private Child() {
        }

        /**
         * Exits with the bits.
         *
         * @param args {@code reuse}: first close descriptor 0 (after a first look) and open a
         *     file, which takes its place
         * @throws IOException if /dev/null cannot be compared
         */
        public static void main(String[] args) throws IOException {
            if (args.length > 0 && args[0].equals("reuse")) {
                StandardStreams.inherited(0);
                System.in.close();
                Files.newInputStream(Path.of(System.getProperty("java.home"), "release")); // on 0, kept open
            }
            int bits = 0;
            for (int fd = 0; fd < 3; fd++) {
                Path p = Path.of("/proc/self/fd/" + fd);
                boolean devNull = Files.exists(p) && Files.isSameFile(p, Path.of("/dev/null"));
                bits |= StandardStreams.inherited(fd) && !devNull ? 1 << fd : 0;
            }
            System.exit(bits);
        }
    }
}
