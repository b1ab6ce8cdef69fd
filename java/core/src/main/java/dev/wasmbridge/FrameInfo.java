package dev.wasmbridge;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One wasm frame of a trap's backtrace.
 *
 * <p>Thread safety: immutable.
 */
public final class FrameInfo {
    private final int functionIndex;
    private final String functionName;
    private final String moduleName;
    private final long moduleOffset;
    private final long functionOffset;

    FrameInfo(int functionIndex, String functionName, String moduleName, long moduleOffset, long functionOffset) {
        this.functionIndex = functionIndex;
        this.functionName = functionName;
        this.moduleName = moduleName;
        this.moduleOffset = moduleOffset;
        this.functionOffset = functionOffset;
    }

    /**
     * The function's index in its module's function index space.
     *
     * @return the index
     */
    public int functionIndex() {
        return functionIndex;
    }

    /**
     * The function's name from the module's name section, if it has one.
     *
     * @return the name, or empty
     */
    public Optional<String> functionName() {
        return Optional.ofNullable(functionName);
    }

    /**
     * The module's name from its name section, if it has one.
     *
     * @return the name, or empty
     */
    public Optional<String> moduleName() {
        return Optional.ofNullable(moduleName);
    }

    /**
     * The byte offset of the executing instruction within the module's binary, if known.
     *
     * @return the offset, or empty
     */
    public OptionalLong moduleOffset() {
        return moduleOffset < 0 ? OptionalLong.empty() : OptionalLong.of(moduleOffset);
    }

    /**
     * The byte offset of the executing instruction within the function's body, if known.
     *
     * @return the offset, or empty
     */
    public OptionalLong functionOffset() {
        return functionOffset < 0 ? OptionalLong.empty() : OptionalLong.of(functionOffset);
    }

    /**
     * Formats the frame like Wasmtime does: {@code module!function (index) @ 0xoffset}.
     *
     * @return a one-line description
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(moduleName == null ? "<module>" : moduleName).append('!');
        sb.append(functionName == null ? "<wasm function " + functionIndex + ">" : functionName);
        if (moduleOffset >= 0) {
            sb.append(" @ 0x").append(Long.toHexString(moduleOffset));
        }
        return sb.toString();
    }

    /**
     * Frames are equal when all their fields are.
     *
     * @param o the other object
     * @return whether they describe the same frame
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FrameInfo)) {
            return false;
        }
        FrameInfo f = (FrameInfo) o;
        return functionIndex == f.functionIndex && moduleOffset == f.moduleOffset
                && functionOffset == f.functionOffset && Objects.equals(functionName, f.functionName)
                && Objects.equals(moduleName, f.moduleName);
    }

    /**
     * A hash of all fields.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(functionIndex, functionName, moduleName, moduleOffset, functionOffset);
    }
}
