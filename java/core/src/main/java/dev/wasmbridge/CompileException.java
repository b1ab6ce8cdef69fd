package dev.wasmbridge;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The bytes or text given for a module are not valid WebAssembly: malformed binary, invalid WAT,
 * or a module that fails validation. The message says what is wrong and where; {@link #offset()}
 * (binary) or {@link #line()} and {@link #column()} (WAT text) say where, when it is known.
 *
 * <p>Thread safety: instances are immutable once thrown.
 */
public class CompileException extends WasmException {
    private static final long serialVersionUID = 1L;

    /** The byte offset in the binary, or -1. */
    private final long offset;
    /** The line in the text, from 1, or 0. */
    private final int line;
    /** The column in the text, from 1, or 0. */
    private final int column;

    /**
     * Creates an exception with a message and no position.
     *
     * @param message what is invalid, and where
     */
    public CompileException(String message) {
        this(message, -1, 0, 0);
    }

    /** With a position: the byte offset (-1 unknown), or the line and column from 1 (0 unknown). Used by error.rs. */
    CompileException(String message, long offset, int line, int column) {
        super(message);
        this.offset = offset;
        this.line = line;
        this.column = column;
    }

    /**
     * Where in the binary module the problem is.
     *
     * @return the byte offset from the start of the binary, or empty if unknown (text, or an error
     *     with no position)
     */
    public OptionalLong offset() {
        return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * On which line of the WAT text the problem is.
     *
     * @return the line, counted from 1, or empty if unknown (a binary, or an error with no position)
     */
    public OptionalInt line() {
        return line <= 0 ? OptionalInt.empty() : OptionalInt.of(line);
    }

    /**
     * In which column of {@link #line()} the problem is.
     *
     * @return the column, counted from 1 in characters, or empty if unknown
     */
    public OptionalInt column() {
        return column <= 0 ? OptionalInt.empty() : OptionalInt.of(column);
    }
}
