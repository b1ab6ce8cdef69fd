package dev.wasmbridge.graal;

import dev.wasmbridge.Caller;
import dev.wasmbridge.FuncType;
import dev.wasmbridge.HostFunction;
import dev.wasmbridge.ValType;
import java.util.List;
import org.graalvm.polyglot.Value;

/** A wasm import implemented by an executable polyglot value (see {@link PolyglotWasm#hostFunction}). */
final class GuestFunction implements HostFunction {
    private final String label;
    private final FuncType type;
    private final Value function;
    private final boolean withCaller;

    GuestFunction(String label, FuncType type, Value function, boolean withCaller) {
        this.label = label;
        this.type = type;
        this.function = function;
        this.withCaller = withCaller;
    }

    @Override
    public Object[] call(Caller caller, Object... args) {
        List<ValType> params = type.params();
        int shift = withCaller ? 1 : 0;
        Object[] guestArgs = new Object[args.length + shift];
        if (withCaller) {
            guestArgs[0] = new WasmCaller(caller);
        }
        for (int i = 0; i < args.length; i++) {
            guestArgs[i + shift] = Convert.toGuest(params.get(i), args[i]);
        }
        // A PolyglotException raised by the guest propagates as it is: through wasm to the Java caller,
        // or back into the calling guest as its original error.
        Value r = function.execute(guestArgs);
        List<ValType> results = type.results();
        switch (results.size()) {
            case 0:
                return null;
            case 1:
                return new Object[] {Convert.toWasm(results.get(0), r, "result of " + label)};
            default:
                if (!r.hasArrayElements() || r.getArraySize() != results.size()) {
                    throw new IllegalArgumentException("result of " + label + ": expected an array of " + results.size()
                            + " values " + results + ", got " + Convert.describe(r));
                }
                Object[] out = new Object[results.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = Convert.toWasm(results.get(i), r.getArrayElement(i), "result " + i + " of " + label);
                }
                return out;
        }
    }
}
