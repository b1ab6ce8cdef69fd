package dev.wasmbridge.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.function.Supplier;

/** Copies a Java stream into a native body channel ({@code body.rs}'s {@code JavaBody}) that a guest reads. */
final class BodyPump {
    /** The most bytes one push carries. */
    static final int CHUNK = 64 * 1024;

    private BodyPump() {
    }

    /**
     * Copies {@code in} to the body {@code channel} until its end, then ends the body with the trailers;
     * past {@code limit} bytes the body fails with {@code tooLarge}; an {@link IOException} of the stream
     * fails it with {@code connection-terminated} and is rethrown. Stops early when the guest lets the
     * body go. Blocks while the guest has not read what came before.
     */
    static void copy(InputStream in, long channel, long limit, HttpErrorCode tooLarge,
            Supplier<List<HttpField>> trailers) throws IOException {
        copy(in, -1, channel, limit, tooLarge, trailers);
    }

    /**
     * {@link #copy(InputStream, long, long, HttpErrorCode, Supplier)} of a body that declared {@code length}
     * bytes (-1: unknown): one that ends short of it fails with {@code connection-terminated}.
     */
    static void copy(InputStream in, long length, long channel, long limit, HttpErrorCode tooLarge,
            Supplier<List<HttpField>> trailers) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long total = 0;
        for (;;) {
            int n;
            try {
                n = in.read(buffer);
            } catch (IOException e) {
                HttpNative.bodyFail(channel, HttpErrorCode.CONNECTION_TERMINATED.witName());
                throw e;
            }
            if (n < 0) {
                if (length >= 0 && total < length) {
                    HttpNative.bodyFail(channel, HttpErrorCode.CONNECTION_TERMINATED.witName());
                    return;
                }
                break;
            }
            total += n;
            if (total > limit) {
                HttpNative.bodyFail(channel, tooLarge.witName());
                return;
            }
            if (n > 0 && !HttpNative.bodyPush(channel, buffer, 0, n)) {
                return;
            }
        }
        List<HttpField> t = trailers.get();
        HttpNative.bodyFinish(channel, t == null || t.isEmpty() ? null : HttpCodec.fields(t));
    }
}
