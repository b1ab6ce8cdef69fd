package dev.wasmbridge.http;

import dev.wasmbridge.internal.NativeLoader;

/** The natives of {@code native/src/http} (each documented there). */
final class HttpNative {
    static {
        NativeLoader.load();
    }

    private HttpNative() {
    }

    static native long handlerNew(long pre);

    static native void handlerFree(long handler);

    /** Serves one request; returns an {@code HttpAbi.OUTCOME_*}. */
    static native int handle(long handler, Object storeObject, long store, byte[] head, byte[] inline,
            byte[] inlineTrailers, long body, HttpExchange exchange, boolean outgoing);

    static native long bodyNew(int chunks);

    static native boolean bodyPush(long body, byte[] bytes, int offset, int length);

    static native void bodyFinish(long body, byte[] trailers);

    static native void bodyFail(long body, String code);

    static native void bodyFree(long body);

    static native int guestBodyRead(long body, byte[] buffer);

    static native byte[] guestBodyTrailers(long body);

    static native void guestBodyFree(long body);

    static native void outgoingComplete(long completer, int status, byte[] headers, long body);

    static native void outgoingFail(long completer, String code);

    static native void completerFree(long completer);
}
