package dev.wasmbridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * WebAssembly execution trapped: an {@code unreachable}, an out-of-bounds access, a division by
 * zero, a stack overflow, running out of fuel, an interrupt, and so on. Carries the {@link TrapCode}
 * and the wasm frames, innermost first.
 *
 * <p>The store stays usable after a trap; the instance's state is whatever the trapping code left.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class TrapException extends WasmException {
    private static final long serialVersionUID = 1L;

    /** Why execution stopped. */
    private final TrapCode code;
    private final transient List<FrameInfo> frames;

    /**
     * Creates a trap, for example to be thrown on purpose.
     *
     * @param code why execution stopped; not null
     * @param message the message
     * @throws NullPointerException if {@code code} is null
     */
    public TrapException(TrapCode code, String message) {
        this(code, message, List.of());
    }

    TrapException(TrapCode code, String message, List<FrameInfo> frames) {
        super(message);
        if (code == null) {
            throw new NullPointerException("code");
        }
        this.code = code;
        this.frames = Collections.unmodifiableList(frames);
    }

    /**
     * Why execution trapped.
     *
     * @return the trap code, never null
     */
    public TrapCode code() {
        return code;
    }

    /**
     * The wasm frames active at the trap, innermost first. Empty when Wasmtime recorded none.
     *
     * @return an unmodifiable list
     */
    public List<FrameInfo> frames() {
        return frames == null ? List.of() : frames;
    }

    /**
     * The message followed by the wasm backtrace, one frame a line.
     *
     * @return the message with frames
     */
    @Override
    public String getMessage() {
        String base = super.getMessage();
        if (frames == null || frames.isEmpty()) {
            return base;
        }
        StringBuilder sb = new StringBuilder(base).append("\nwasm backtrace:");
        for (int i = 0; i < frames.size(); i++) {
            sb.append("\n  ").append(i).append(": ").append(frames.get(i));
        }
        return sb.toString();
    }

    /** Called by the native library (error.rs) to build a trap with its frames. */
    @SuppressWarnings("unused")
    private static Throwable fromNative(int code, String message, long[] numbers, String[] names) {
        List<FrameInfo> frames = new ArrayList<>(names.length / 2);
        for (int i = 0; i < names.length / 2; i++) {
            frames.add(new FrameInfo((int) numbers[3 * i], names[2 * i], names[2 * i + 1],
                    numbers[3 * i + 1], numbers[3 * i + 2]));
        }
        return new TrapException(TrapCode.fromNative(code), message, frames);
    }
}
