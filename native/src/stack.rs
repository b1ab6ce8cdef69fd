//! The stack wasm runs on: never past the end of the calling Java thread's stack.
//!
//! Wasmtime bounds wasm's stack at `max_wasm_stack` bytes below the stack pointer of the outermost
//! entry into a store. On a Java thread that has less room than that left (a worker created with a
//! small stack, or one deep in Java frames already), wasm would run into the JVM's guard pages first,
//! and the JVM aborts the process ("irrecoverable stack overflow") instead of throwing. So:
//!
//! * The rule: an outermost entry runs on the thread's own stack when at least
//!   `max_wasm_stack + ENTRY_SLACK` bytes are left above the thread's lowest
//!   [`THREAD_RESERVE`] bytes (the JVM's guard zones, and room for native code below wasm's limit).
//!   This check is one compare on the hot path ([`Room`], cached per store with the bounds of the
//!   thread it last ran on).
//! * Otherwise the call runs on a private stack of the thread ([`Private`], mapped once per thread
//!   and reused, with a guard region), where the full `max_wasm_stack` fits.
//! * Java must only ever run on the thread's own stack (the JVM checks its stack bounds when calling
//!   Java code). Every upcall to Java made while wasm runs on the private stack (host functions,
//!   WASI stdio streams) goes through [`on_thread_stack`], which switches back to the thread's stack
//!   just below the frames of the entry, runs the Java code there, and returns to wasm.
//! * A nested entry into a store whose wasm runs on the private stack (Java → wasm → Java host →
//!   the same store) continues on the private stack below the suspended wasm frames, where that
//!   store's limit is.
//!
//! The state is per thread ([`State`]), like stacks.

use std::cell::RefCell;

use crate::bridge::error::{Error, Result};

/// Bytes at the low end of a thread's own stack that wasm's limit stays above: the JVM's red,
/// yellow and reserved zones (16 KiB with 4 KiB pages), its shadow zone (the room a call from
/// native code into Java needs: 80 KiB on x86-64), and native frames between wasm and Java.
pub const THREAD_RESERVE: usize = 128 * 1024;

/// Bytes a call into Java through an FFM upcall stub needs left above [`THREAD_RESERVE`]. An
/// exception that leaves a stub ends the JVM, so the stub's Java adapter catches everything; its
/// handler runs at the stub's depth and must not overflow itself. A call with less room left goes
/// through JNI, where an overflow is an ordinary `StackOverflowError` ([`room_for_stub`]).
pub const STUB_ROOM: usize = 64 * 1024;

/// Whether a call into Java through an upcall stub may be made from here: on the thread's own
/// stack, with [`STUB_ROOM`] left above its reserve.
#[inline]
pub fn room_for_stub() -> bool {
    let sp = stack_pointer();
    let (low, high) = STUB_SPAN.get();
    (low < sp && sp <= high) || room_for_stub_slow(sp)
}

thread_local! {
    /// The stack pointers of this thread from which [`room_for_stub`] holds, `(low, high]`: learned
    /// from its bounds on the first call that is not known to fit; empty until then.
    static STUB_SPAN: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
}

#[cold]
fn room_for_stub_slow(sp: usize) -> bool {
    let Ok(b) = current_bounds() else {
        return false;
    };
    let low =
        b.lo.saturating_add(THREAD_RESERVE)
            .saturating_add(STUB_ROOM);
    STUB_SPAN.set((low, b.hi));
    b.fits(sp, STUB_ROOM)
}

/// Bytes between the point where an entry is checked here and where Wasmtime reads the stack
/// pointer to set wasm's limit (its entry frames, and ours).
pub const ENTRY_SLACK: usize = 32 * 1024;

/// Room below wasm's limit on a private stack, for native code (host-call trampolines, signal
/// frames); no Java runs there.
const PRIVATE_MARGIN: usize = 64 * 1024;

/// Inaccessible bytes at the bottom of a private stack.
const GUARD: usize = 64 * 1024;

/// Bytes left untouched below the stack pointer when switching stacks (more than x86-64's red zone).
const RED: usize = 256;

/// The smallest private stack mapped (a thread's first use reserves at least this much address
/// space; only the pages touched are ever backed by memory).
const PRIVATE_MIN: usize = 4 * 1024 * 1024;

/// The stack pointer (x86-64: natives are built for linux-x86_64 only).
#[inline(always)]
pub fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads the stack pointer register; touches no memory.
    unsafe {
        std::arch::asm!("mov {}, rsp", out(reg) sp, options(nomem, nostack, preserves_flags));
    }
    sp
}

/// A thread's own stack: `[lo, hi)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    pub lo: usize,
    pub hi: usize,
}

impl Bounds {
    /// Whether `sp` is on this stack with `need` bytes left above its reserve.
    #[inline]
    pub fn fits(&self, sp: usize, need: usize) -> bool {
        self.lo < sp
            && sp <= self.hi
            && sp.saturating_sub(self.lo.saturating_add(THREAD_RESERVE)) >= need
    }

    /// Whether `sp` is on this stack.
    fn contains(&self, sp: usize) -> bool {
        self.lo < sp && sp <= self.hi
    }
}

/// The stack pointers on one thread's stack from which an outermost entry runs in place: one
/// compare on the fast path (`store::with_frame`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Room {
    /// The lowest such stack pointer.
    low: usize,
    /// The span above it, to the top of the stack (0 when none fits, or the thread is unknown yet).
    span: usize,
}

impl Room {
    /// The room on a thread of `bounds` for entries needing `need` bytes ([`need`]).
    pub fn new(bounds: Bounds, need: usize) -> Room {
        match bounds
            .lo
            .checked_add(THREAD_RESERVE)
            .and_then(|l| l.checked_add(need))
        {
            Some(low) if low < bounds.hi => Room {
                low,
                span: bounds.hi - low,
            },
            _ => Room::default(),
        }
    }

    /// Whether an entry at `sp` fits in place (never for an unknown thread: the slow path learns it).
    #[inline(always)]
    pub fn fits(&self, sp: usize) -> bool {
        sp.wrapping_sub(self.low) < self.span
    }
}

/// The current thread's stack, from the OS.
fn thread_bounds() -> Result<Bounds> {
    // SAFETY: pthread_getattr_np fills `attr` for the calling thread; the attribute object is
    // destroyed once read; the out-pointers are valid locals.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) != 0 {
            return Err(Error::IllegalState(
                "cannot read the bounds of this thread's stack".into(),
            ));
        }
        let mut addr: *mut libc::c_void = std::ptr::null_mut();
        let mut size: libc::size_t = 0;
        let got = libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
        libc::pthread_attr_destroy(&mut attr);
        if got != 0 || addr.is_null() {
            return Err(Error::IllegalState(
                "cannot read the bounds of this thread's stack".into(),
            ));
        }
        let lo = addr as usize;
        Ok(Bounds { lo, hi: lo + size })
    }
}

/// A stack of this thread's own making: an anonymous mapping with an inaccessible guard region at
/// its low end. Unmapped when the thread ends.
struct Private {
    /// The start of the mapping (the guard region).
    base: usize,
    /// The whole mapping, guard included.
    len: usize,
}

impl Private {
    fn map(size: usize) -> Result<Private> {
        let page = 64 * 1024;
        let usable = size
            .checked_next_multiple_of(page)
            .ok_or_else(|| too_big(size))?;
        let len = usable.checked_add(GUARD).ok_or_else(|| too_big(size))?;
        // SAFETY: an anonymous private mapping; no existing memory is touched. The guard is made
        // inaccessible before the region is used.
        unsafe {
            let p = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE | libc::MAP_STACK,
                -1,
                0,
            );
            if p == libc::MAP_FAILED {
                return Err(too_big(size));
            }
            if libc::mprotect(p, GUARD, libc::PROT_NONE) != 0 {
                libc::munmap(p, len);
                return Err(too_big(size));
            }
            Ok(Private {
                base: p as usize,
                len,
            })
        }
    }

    fn lo(&self) -> usize {
        self.base + GUARD
    }

    fn hi(&self) -> usize {
        self.base + self.len
    }
}

impl Drop for Private {
    fn drop(&mut self) {
        // SAFETY: the mapping was made by `map` and nothing runs on it any more (the thread is
        // ending, or the stack is replaced while unused).
        unsafe {
            libc::munmap(self.base as *mut libc::c_void, self.len);
        }
    }
}

fn too_big(size: usize) -> Error {
    Error::IllegalState(format!(
        "cannot map a stack of {size} bytes for wasm on this thread; give the engine a smaller \
         maxWasmStack (EngineConfig.Builder.maxWasmStack) or the thread a larger stack (-Xss)"
    ))
}

/// Where this thread runs wasm, and where to go back to.
#[derive(Default)]
struct State {
    /// The thread's own stack, once read.
    bounds: Option<Bounds>,
    private: Option<Private>,
    /// Code is running on the private stack now.
    on_private: bool,
    /// The top to use when switching back onto the thread's stack: just below the frames of the
    /// native call that switched to the private stack.
    thread_resume: usize,
    /// The top to use when switching onto the private stack while wasm is suspended on it (the
    /// frames above are in use); 0 when the private stack is free.
    private_resume: usize,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

fn with_state<R>(f: impl FnOnce(&mut State) -> R) -> R {
    STATE.with(|s| f(&mut s.borrow_mut()))
}

/// This thread's stack bounds (read once per thread).
pub fn current_bounds() -> Result<Bounds> {
    with_state(|s| match s.bounds {
        Some(b) => Ok(b),
        None => {
            let b = thread_bounds()?;
            s.bounds = Some(b);
            Ok(b)
        }
    })
}

/// Runs `f` on `[lo, top)`, catching a panic on that stack and resuming it here.
///
/// # Safety
/// `[lo, top)` is mapped, writable, unused memory (nothing live on it) for the whole call.
unsafe fn run_on<R>(lo: usize, top: usize, f: impl FnOnce() -> R) -> R {
    let top = top & !0xf;
    // SAFETY: per the contract; 16-byte alignment as x86-64 requires. The callback cannot unwind
    // through psm's frames: a panic is caught on the new stack and resumed on this one.
    let outcome = unsafe {
        psm::on_stack(lo as *mut u8, top - lo, move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        })
    };
    match outcome {
        Ok(r) => r,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// How an entry into a store is to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The store has no wasm running: a new limit is set from here.
    Outermost,
    /// The store's wasm is suspended in a host call (Java → wasm → Java → here); its limit stands.
    Nested { private: bool },
}

/// Restores the thread state a stack switch changed, even when unwinding.
struct Restore {
    on_private: bool,
    thread_resume: usize,
    private_resume: usize,
}

impl Restore {
    fn take() -> Restore {
        with_state(|s| Restore {
            on_private: s.on_private,
            thread_resume: s.thread_resume,
            private_resume: s.private_resume,
        })
    }
}

impl Drop for Restore {
    fn drop(&mut self) {
        with_state(|s| {
            s.on_private = self.on_private;
            s.thread_resume = self.thread_resume;
            s.private_resume = self.private_resume;
        });
    }
}

/// The stack an outermost entry needs for an engine's `max_wasm_stack`: it and [`ENTRY_SLACK`].
pub fn need(max_wasm_stack: usize) -> usize {
    max_wasm_stack.saturating_add(ENTRY_SLACK)
}

/// Runs `f`, an entry into wasm needing `need` bytes of stack ([`need`]), on a stack where wasm's
/// limit stays clear of the thread's end: in place when there is room (or for a nested entry whose
/// store runs on the thread's stack), else on the private stack. `f` learns whether it runs on the
/// private stack. `cached` holds the bounds of the thread the store was last used on and is
/// updated. (`store::with_frame` checks the common cases inline before calling this.)
pub fn enter<R>(
    entry: Entry,
    need: usize,
    cached: &mut Bounds,
    f: impl FnOnce(bool) -> R,
) -> Result<R> {
    if entry == (Entry::Nested { private: false }) {
        return Ok(f(false));
    }
    let sp = stack_pointer();
    let bounds = current_bounds()?;
    let on_thread_stack = bounds.contains(sp);
    if entry == Entry::Outermost && on_thread_stack {
        *cached = bounds;
        if bounds.fits(sp, need) {
            return Ok(f(false));
        }
    }
    if !on_thread_stack {
        // Entries come from Java, and Java runs on the thread's own stack only.
        return Err(Error::IllegalState(
            "wasm entered from outside the thread's stack".into(),
        ));
    }
    // The private stack: below the suspended wasm frames of an earlier entry, or from its top.
    let (lo, top) = with_state(|s| -> Result<(usize, usize)> {
        if s.private_resume != 0 {
            let p = s.private.as_ref().ok_or_else(|| {
                Error::IllegalState("wasm's private stack is gone while in use".into())
            })?;
            let room = s
                .private_resume
                .saturating_sub(p.lo().saturating_add(PRIVATE_MARGIN));
            if entry == Entry::Outermost && room < need {
                return Err(Error::IllegalState(format!(
                    "no stack left for wasm on this thread: {room} bytes are free below the wasm \
                     already running, {need} are needed; give the engine a smaller maxWasmStack \
                     (EngineConfig.Builder.maxWasmStack) or the thread a larger stack (-Xss)"
                )));
            }
            return Ok((p.lo(), s.private_resume));
        }
        // Room for two entries' worth, so a host function of one store can call another's wasm.
        let size = need
            .checked_mul(2)
            .and_then(|n| n.checked_add(PRIVATE_MARGIN))
            .ok_or_else(|| too_big(need))?
            .max(PRIVATE_MIN);
        if s.private.as_ref().is_none_or(|p| p.hi() - p.lo() < size) {
            s.private = None;
            s.private = Some(Private::map(size)?);
        }
        let p = s.private.as_ref().ok_or_else(|| too_big(size))?;
        Ok((p.lo(), p.hi()))
    })?;
    let _restore = Restore::take();
    with_state(|s| {
        s.on_private = true;
        s.thread_resume = sp.saturating_sub(RED);
    });
    // SAFETY: [lo, top) is the private stack's free part: its top when no wasm is suspended on it,
    // or below the suspended frames (private_resume) otherwise; it stays mapped while this thread
    // runs (it is only replaced when free, and unmapped when the thread ends).
    Ok(unsafe { run_on(lo, top, || f(true)) })
}

/// Runs `f`, code that calls Java, on the thread's own stack: directly when already there
/// (`private` false, the common case), else switching back to it below the frames of the native
/// call that entered wasm.
#[inline]
pub fn on_thread_stack<R>(private: bool, f: impl FnOnce() -> R) -> R {
    if !private {
        return f();
    }
    on_thread_stack_slow(f)
}

#[inline(never)]
fn on_thread_stack_slow<R>(f: impl FnOnce() -> R) -> R {
    let sp = stack_pointer();
    let target = with_state(|s| {
        if !s.on_private {
            return None;
        }
        s.bounds.map(|b| (b.lo, s.thread_resume))
    });
    let Some((lo, top)) = target else {
        // Not on the private stack after all (a stream called on a thread of wasmtime-wasi's own).
        return f();
    };
    let _restore = Restore::take();
    with_state(|s| {
        s.on_private = false;
        s.private_resume = sp.saturating_sub(RED);
    });
    // SAFETY: [lo, top) is the part of the thread's own stack below the frames of the native call
    // that switched to the private stack (thread_resume): unused while wasm runs elsewhere.
    unsafe { run_on(lo, top, f) }
}

/// Whether this thread runs on its private stack now (for code that may be called on other threads
/// too, like WASI stdio streams).
pub fn on_private() -> bool {
    with_state(|s| s.on_private)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_thread_bounds_hold_the_stack_pointer() {
        let b = current_bounds().unwrap();
        assert!(b.contains(stack_pointer()), "{b:?}");
        assert!(b.hi - b.lo >= 64 * 1024);
    }

    #[test]
    fn an_entry_with_room_runs_in_place_and_one_without_on_the_private_stack() {
        let mut cached = Bounds::default();
        let here = enter(Entry::Outermost, need(4096), &mut cached, |private| {
            (private, stack_pointer())
        })
        .unwrap();
        assert!(!here.0);
        assert!(cached.contains(here.1));
        // More than the thread has: the private stack.
        let need = cached.hi - cached.lo;
        let (private, sp, back) = enter(Entry::Outermost, need, &mut cached, |private| {
            let sp = stack_pointer();
            let back = on_thread_stack(private, stack_pointer);
            (private, sp, back)
        })
        .unwrap();
        assert!(private);
        assert!(!cached.contains(sp));
        assert!(cached.contains(back), "upcalls run on the thread's stack");
        assert!(!on_private());
    }

    fn whole_thread() -> usize {
        let b = current_bounds().unwrap();
        b.hi - b.lo
    }

    #[test]
    fn a_nested_entry_continues_below_the_suspended_frames() {
        let mut cached = Bounds::default();
        let need = whole_thread();
        enter(Entry::Outermost, need, &mut cached, |_| {
            let outer = stack_pointer();
            on_thread_stack(true, || {
                let mut c = Bounds::default();
                let inner = enter(Entry::Nested { private: true }, need, &mut c, |private| {
                    assert!(private);
                    stack_pointer()
                })
                .unwrap();
                assert!(inner < outer);
            })
        })
        .unwrap();
    }

    #[test]
    fn a_panic_on_the_private_stack_unwinds_to_the_caller_and_leaves_no_state() {
        let mut cached = Bounds::default();
        let need = whole_thread();
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            enter(Entry::Outermost, need, &mut cached, |_| {
                on_thread_stack(true, || panic!("from Java's side"))
            })
        }));
        assert!(caught.is_err());
        assert!(!on_private());
        with_state(|s| assert_eq!(s.private_resume, 0));
        // And the private stack is usable again from its top.
        assert!(enter(Entry::Outermost, need, &mut cached, |p| p).unwrap());
    }
}
