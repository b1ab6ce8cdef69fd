package dev.wasmbridge.http.server.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body on its way to a server's output stream, as both adapters write it: each piece flushed
 * (the guest decides when bytes are due, the server must not hold them), and a body of declared length
 * kept from ever looking complete before the guest has finished it. The last byte of such a body is
 * held back until {@link #finish()}, and bytes past the declared length are dropped, so that an adapter
 * that aborts instead of finishing leaves the client with a short body, never a whole one.
 *
 * <p>Not API: this package is not exported. Thread safety: one thread (the one serving the request).
 */
public final class ResponseBody {
    private final OutputStream out;
    private final long length;
    private long written;
    private boolean holding;
    private byte held;
    private boolean overrun;

    private ResponseBody(OutputStream out, long length) {
        this.out = out;
        this.length = length;
    }

    /**
     * A body written to {@code out}.
     *
     * @param out the server's stream for the body (not closed here)
     * @param length the length the response's head declared, or -1 for none (chunked)
     * @return the body
     */
    public static ResponseBody of(OutputStream out, long length) {
        return new ResponseBody(out, length);
    }

    /**
     * A body that must not be sent (the response to {@code HEAD}, a 204 or a 304): everything written
     * is dropped.
     *
     * @return the body
     */
    public static ResponseBody none() {
        return new ResponseBody(OutputStream.nullOutputStream(), -1);
    }

    /**
     * Writes and flushes bytes of the body. Bytes that would take a body of declared length past it are
     * dropped (and so is all that follows): {@link #finish()} then says the body is broken.
     *
     * @param bytes holds the bytes
     * @param offset where they start
     * @param count how many
     * @throws IOException if the stream fails (the client went away)
     */
    public void write(byte[] bytes, int offset, int count) throws IOException {
        if (count == 0 || overrun) {
            return;
        }
        if (length < 0) {
            out.write(bytes, offset, count);
            out.flush();
            return;
        }
        if (written + count > length) {
            overrun = true;
            return;
        }
        written += count;
        int now = written == length ? count - 1 : count;
        out.write(bytes, offset, now);
        if (now < count) {
            held = bytes[offset + now];
            holding = true;
        }
        out.flush();
    }

    /**
     * Ends the body once the guest has finished it: writes the byte held back, if any.
     *
     * @return whether the body is whole (false: it broke its declared length, so the response must be
     *     aborted, not finished)
     * @throws IOException if the stream fails (the client went away)
     */
    public boolean finish() throws IOException {
        if (overrun || length >= 0 && written != length) {
            return false;
        }
        if (holding) {
            out.write(held);
            out.flush();
            holding = false;
        }
        return true;
    }
}
