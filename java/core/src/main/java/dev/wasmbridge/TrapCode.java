package dev.wasmbridge;

/**
 * Why wasm execution trapped: one constant per Wasmtime trap code, in Wasmtime's order (a cargo
 * test checks this list against the Wasmtime version the native library is built with), plus
 * {@link #UNKNOWN} for traps Wasmtime reports without a code.
 *
 * <p>Thread safety: immutable.
 */
public enum TrapCode {
    /** Wasmtime StackOverflow: call stack exhausted. */
    STACK_OVERFLOW("call stack exhausted"),
    /** Wasmtime MemoryOutOfBounds: out of bounds memory access. */
    MEMORY_OUT_OF_BOUNDS("out of bounds memory access"),
    /** Wasmtime HeapMisaligned: unaligned atomic. */
    HEAP_MISALIGNED("unaligned atomic"),
    /** Wasmtime TableOutOfBounds: undefined element: out of bounds table access. */
    TABLE_OUT_OF_BOUNDS("undefined element: out of bounds table access"),
    /** Wasmtime IndirectCallToNull: uninitialized element. */
    INDIRECT_CALL_TO_NULL("uninitialized element"),
    /** Wasmtime BadSignature: indirect call type mismatch. */
    BAD_SIGNATURE("indirect call type mismatch"),
    /** Wasmtime IntegerOverflow: integer overflow. */
    INTEGER_OVERFLOW("integer overflow"),
    /** Wasmtime IntegerDivisionByZero: integer divide by zero. */
    INTEGER_DIVISION_BY_ZERO("integer divide by zero"),
    /** Wasmtime BadConversionToInteger: invalid conversion to integer. */
    BAD_CONVERSION_TO_INTEGER("invalid conversion to integer"),
    /** Wasmtime UnreachableCodeReached: wasm unreachable instruction executed. */
    UNREACHABLE_CODE_REACHED("wasm unreachable instruction executed"),
    /** Wasmtime Interrupt: interrupt. */
    INTERRUPT("interrupt"),
    /** Wasmtime OutOfFuel: all fuel consumed by WebAssembly. */
    OUT_OF_FUEL("all fuel consumed by WebAssembly"),
    /** Wasmtime AtomicWaitNonSharedMemory: atomic wait on non-shared memory. */
    ATOMIC_WAIT_NON_SHARED_MEMORY("atomic wait on non-shared memory"),
    /** Wasmtime NullReference: null reference. */
    NULL_REFERENCE("null reference"),
    /** Wasmtime ArrayOutOfBounds: out of bounds array access. */
    ARRAY_OUT_OF_BOUNDS("out of bounds array access"),
    /** Wasmtime AllocationTooLarge: allocation size too large. */
    ALLOCATION_TOO_LARGE("allocation size too large"),
    /** Wasmtime CastFailure: cast failure. */
    CAST_FAILURE("cast failure"),
    /** Wasmtime CannotEnterComponent: cannot enter component instance. */
    CANNOT_ENTER_COMPONENT("cannot enter component instance"),
    /** Wasmtime NoAsyncResult: async-lifted export failed to produce a result. */
    NO_ASYNC_RESULT("async-lifted export failed to produce a result"),
    /** Wasmtime UnhandledTag: unhandled tag. */
    UNHANDLED_TAG("unhandled tag"),
    /** Wasmtime ContinuationAlreadyConsumed: continuation already consumed. */
    CONTINUATION_ALREADY_CONSUMED("continuation already consumed"),
    /** Wasmtime DisabledOpcode: pulley opcode disabled at compile time was executed. */
    DISABLED_OPCODE("pulley opcode disabled at compile time was executed"),
    /** Wasmtime AsyncDeadlock: deadlock detected: event loop cannot make further progress. */
    ASYNC_DEADLOCK("deadlock detected: event loop cannot make further progress"),
    /** Wasmtime CannotLeaveComponent: cannot leave component instance. */
    CANNOT_LEAVE_COMPONENT("cannot leave component instance"),
    /** Wasmtime CannotBlockSyncTask: cannot block a synchronous task before returning. */
    CANNOT_BLOCK_SYNC_TASK("cannot block a synchronous task before returning"),
    /** Wasmtime InvalidChar: invalid char bit pattern. */
    INVALID_CHAR("invalid char bit pattern"),
    /** Wasmtime DebugAssertStringEncodingFinished: should have finished string encoding. */
    DEBUG_ASSERT_STRING_ENCODING_FINISHED("should have finished string encoding"),
    /** Wasmtime DebugAssertEqualCodeUnits: code units should be equal. */
    DEBUG_ASSERT_EQUAL_CODE_UNITS("code units should be equal"),
    /** Wasmtime DebugAssertPointerAligned: pointer should be aligned. */
    DEBUG_ASSERT_POINTER_ALIGNED("pointer should be aligned"),
    /** Wasmtime DebugAssertUpperBitsUnset: upper bits should be unset. */
    DEBUG_ASSERT_UPPER_BITS_UNSET("upper bits should be unset"),
    /** Wasmtime StringOutOfBounds: string content out-of-bounds. */
    STRING_OUT_OF_BOUNDS("string content out-of-bounds"),
    /** Wasmtime ListOutOfBounds: list content out-of-bounds. */
    LIST_OUT_OF_BOUNDS("list content out-of-bounds"),
    /** Wasmtime InvalidDiscriminant: invalid variant discriminant. */
    INVALID_DISCRIMINANT("invalid variant discriminant"),
    /** Wasmtime UnalignedPointer: unaligned pointer. */
    UNALIGNED_POINTER("unaligned pointer"),
    /** Wasmtime TaskCancelNotCancelled: task.cancel called by task which has not been cancelled. */
    TASK_CANCEL_NOT_CANCELLED("task.cancel called by task which has not been cancelled"),
    /** Wasmtime TaskCancelOrReturnTwice: task.return or task.cancel called more than once for current task. */
    TASK_CANCEL_OR_RETURN_TWICE("task.return or task.cancel called more than once for current task"),
    /** Wasmtime SubtaskCancelAfterTerminal: subtask.cancel called after terminal status delivered. */
    SUBTASK_CANCEL_AFTER_TERMINAL("subtask.cancel called after terminal status delivered"),
    /** Wasmtime TaskReturnInvalid: invalid task.return signature and/or options for current task. */
    TASK_RETURN_INVALID("invalid task.return signature and/or options for current task"),
    /** Wasmtime WaitableSetDropHasWaiters: cannot drop waitable set with waiters. */
    WAITABLE_SET_DROP_HAS_WAITERS("cannot drop waitable set with waiters"),
    /** Wasmtime SubtaskDropNotResolved: cannot drop a subtask which has not yet resolved. */
    SUBTASK_DROP_NOT_RESOLVED("cannot drop a subtask which has not yet resolved"),
    /** Wasmtime ThreadNewIndirectInvalidType: start function does not match expected type (currently only (i32) -> () is supported). */
    THREAD_NEW_INDIRECT_INVALID_TYPE("start function does not match expected type (currently only (i32) -> () is supported)"),
    /** Wasmtime ThreadNewIndirectUninitialized: the start function index points to an uninitialized function. */
    THREAD_NEW_INDIRECT_UNINITIALIZED("the start function index points to an uninitialized function"),
    /** Wasmtime BackpressureOverflow: backpressure counter overflow. */
    BACKPRESSURE_OVERFLOW("backpressure counter overflow"),
    /** Wasmtime UnsupportedCallbackCode: unsupported callback code. */
    UNSUPPORTED_CALLBACK_CODE("unsupported callback code"),
    /** Wasmtime CannotResumeThread: cannot resume thread which is not suspended. */
    CANNOT_RESUME_THREAD("cannot resume thread which is not suspended"),
    /** Wasmtime ConcurrentFutureStreamOp: cannot have concurrent operations active on a future/stream. */
    CONCURRENT_FUTURE_STREAM_OP("cannot have concurrent operations active on a future/stream"),
    /** Wasmtime ReferenceCountOverflow: reference count overflow. */
    REFERENCE_COUNT_OVERFLOW("reference count overflow"),
    /** Wasmtime StreamOpTooBig: stream read/write count too large. */
    STREAM_OP_TOO_BIG("stream read/write count too large"),
    /** Wasmtime WaitableSyncAndAsync: waitable cannot be used synchronously while added to a waitable set. */
    WAITABLE_SYNC_AND_ASYNC("waitable cannot be used synchronously while added to a waitable set"),
    /** Wasmtime UncaughtException: uncaught exception propagated out of component. */
    UNCAUGHT_EXCEPTION("uncaught exception propagated out of component"),
    /** A trap without a Wasmtime trap code, for example an error raised while wasm was running. */
    UNKNOWN("unknown trap");

    private static final TrapCode[] VALUES = values();

    private final String description;

    TrapCode(String description) {
        this.description = description;
    }

    /**
     * Wasmtime's description of the trap.
     *
     * @return a short English sentence fragment, never null
     */
    public String description() {
        return description;
    }

    /**
     * The code for Wasmtime's numeric trap code.
     *
     * @param code Wasmtime's trap discriminant, or a negative number for "no code"
     * @return the matching constant, {@link #UNKNOWN} if none matches
     */
    static TrapCode fromNative(int code) {
        return code >= 0 && code < VALUES.length - 1 ? VALUES[code] : UNKNOWN;
    }
}
