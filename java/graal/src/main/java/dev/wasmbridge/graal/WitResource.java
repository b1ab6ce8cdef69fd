package dev.wasmbridge.graal;

import dev.wasmbridge.component.ResourceHandle;
import java.util.List;
import java.util.Objects;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A component resource handle ({@code own<R>} or {@code borrow<R>}) that a component function handed to
 * a guest: the guest passes it back as an argument, and drops it with {@code close()}. Members: {@code
 * type} (such as {@code "own<counter>"}), {@code owned}, {@code gone} (closed, or moved into a call
 * that took ownership) and {@code close()} ({@link ResourceHandle#close()}: an owned resource's
 * destructor runs now; closing twice does nothing). An owned handle a guest forgets is dropped once it
 * is unreachable, at its store's next component call.
 *
 * <p>Thread safety: like the handle's {@link dev.wasmbridge.Store}, one thread at a time.
 */
public final class WitResource implements ProxyObject {
    private static final List<String> MEMBERS = List.of("type", "owned", "gone", "close");

    private final ResourceHandle handle;

    WitResource(ResourceHandle handle) {
        this.handle = Objects.requireNonNull(handle, "handle");
    }

    /**
     * The wrapped handle.
     *
     * @return the handle
     */
    public ResourceHandle handle() {
        return handle;
    }

    /**
     * A member: {@code type}, {@code owned}, {@code gone} or {@code close}.
     *
     * @param key the member's name
     * @return its value (for {@code close}, an executable that drops the handle and returns null; it
     *     throws {@link IllegalStateException} if the store is in use by another thread and {@link
     *     dev.wasmbridge.TrapException} if the destructor traps), or null if there is no such member
     */
    @Override
    public Object getMember(String key) {
        switch (key) {
            case "type":
                return handle.type();
            case "owned":
                return handle.isOwned();
            case "gone":
                return handle.isGone();
            case "close":
                return (ProxyExecutable) args -> {
                    Convert.arity(args, 0, 0, "close");
                    handle.close();
                    return null;
                };
            default:
                return null;
        }
    }

    /**
     * The members' names.
     *
     * @return {@code type}, {@code owned}, {@code gone}, {@code close}
     */
    @Override
    public Object getMemberKeys() {
        return ProxyArray.fromList(List.<Object>copyOf(MEMBERS));
    }

    /**
     * Whether {@code key} is a member.
     *
     * @param key the name
     * @return true for {@code type}, {@code owned}, {@code gone} and {@code close}
     */
    @Override
    public boolean hasMember(String key) {
        return MEMBERS.contains(key);
    }

    /**
     * Refused: a resource handle has no writable members.
     *
     * @param key the name
     * @param value the value
     * @throws UnsupportedOperationException always
     */
    @Override
    public void putMember(String key, Value value) {
        throw new UnsupportedOperationException("a resource handle's members are read-only");
    }

    /**
     * The handle, for debugging.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return handle.toString();
    }
}
