//! WASI preview 1's `poll_oneoff`, made to end at a deadline or an interrupt.
//!
//! wasmtime-wasi's own `poll_oneoff` sleeps in one piece, so a guest that sleeps (`sleep` and
//! `nanosleep` compile to a poll on relative clocks) would ignore the store's deadline and
//! `Store.interrupt()`. This one sleeps such polls here, in slices, checking the store's [`Stop`]
//! between them; anything else (file descriptors, absolute times, bad pointers) goes to
//! wasmtime-wasi's implementation. The guest structs are read and written with wasmtime-wasi's own
//! generated types (`wasmtime_wasi::p1::types`), which wasmtime-wasi marks as internal: the tests
//! below pin what this relies on, so an upgrade that changes it fails here first.
//!
//! [`Stop`]: crate::store::Stop

use std::time::{Duration, Instant};

use wasmtime::{AsContextMut, Caller, Memory};
use wasmtime_wasi::p1::types::{
    Clockid, Errno, Event, EventFdReadwrite, Eventrwflags, Eventtype, Subclockflags, Subscription,
    SubscriptionU,
};
use wiggle::{GuestMemory, GuestPtr, GuestType};

use crate::store::StoreData;

/// How long a WASI sleep runs between checks of the store's deadline and interrupt.
pub const SLEEP_SLICE: Duration = Duration::from_millis(5);

/// The `poll_oneoff` the linker defines (`wasi::add_to_linker`).
pub fn poll_oneoff(
    caller: &mut Caller<'_, StoreData>,
    [subs, events, n, nevents]: [i32; 4],
) -> wasmtime::Result<i32> {
    if let Some(wake) = plain_sleep(caller, subs, events, n, nevents) {
        // A timeout past what `Instant` can represent is a sleep without end (until a stop).
        let end = Instant::now().checked_add(wake.timeout);
        loop {
            if caller.data().must_stop() {
                return Err(wasmtime::Trap::Interrupt.into());
            }
            let now = Instant::now();
            let left = match end {
                Some(end) if now >= end => break,
                Some(end) => end - now,
                None => SLEEP_SLICE,
            };
            std::thread::sleep(left.min(SLEEP_SLICE));
        }
        return wake.write_events(caller);
    }
    stock_poll_oneoff(caller, [subs, events, n, nevents])
}

/// wasmtime-wasi's own `poll_oneoff`: the generated glue its linker functions run (argument
/// conversion, the event count written to `nevents`, the errno), on the caller's memory and the
/// store's WASI context, with the host-call fuel its glue sets.
fn stock_poll_oneoff(
    caller: &mut Caller<'_, StoreData>,
    [subs, events, n, nevents]: [i32; 4],
) -> wasmtime::Result<i32> {
    use wasmtime_wasi::p1::wasi_snapshot_preview1::{self as p1, WasiSnapshotPreview1};
    let Some(memory) = memory(caller) else {
        return Err(wasmtime::format_err!("missing required memory export"));
    };
    let fuel = caller.as_context_mut().hostcall_fuel();
    let (bytes, data) = memory.data_and_store_mut(&mut *caller);
    let ctx = data.wasi.get_or_insert_with(super::config::empty_ctx);
    ctx.set_hostcall_fuel(fuel);
    let mut guest = GuestMemory::Unshared(bytes);
    wasmtime_wasi::runtime::in_tokio(p1::poll_oneoff(ctx, &mut guest, subs, events, n, nevents))
}

fn memory(caller: &mut Caller<'_, StoreData>) -> Option<Memory> {
    caller.get_export("memory").and_then(|e| e.into_memory())
}

/// A poll whose subscriptions are all relative clocks: the shortest timeout, and what to report.
struct Wake {
    memory: Memory,
    timeout: Duration,
    /// The userdata of the subscriptions that expire at `timeout`, in order.
    fired: Vec<u64>,
    events: GuestPtr<[Event]>,
    nevents: GuestPtr<u32>,
}

/// The sleep a poll asks for, if every subscription is a relative clock timeout and every pointer
/// is good; `None` sends the poll to the stock implementation.
fn plain_sleep(
    caller: &mut Caller<'_, StoreData>,
    subs: i32,
    events: i32,
    n: i32,
    nevents: i32,
) -> Option<Wake> {
    let memory = memory(caller)?;
    // Pointers and counts are unsigned in wasm32.
    let (subs, events, n, nevents) = (subs as u32, events as u32, n as u32, nevents as u32);
    if n == 0 {
        return None;
    }
    let mem = GuestMemory::Unshared(memory.data_mut(&mut *caller));
    let mut clocks = Vec::with_capacity(n as usize);
    for sub in GuestPtr::<Subscription>::new(subs).as_array(n).iter() {
        let sub = mem.read(sub.ok()?).ok()?;
        match sub.u {
            SubscriptionU::Clock(c)
                if matches!(c.id, Clockid::Realtime | Clockid::Monotonic)
                    && !c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME) =>
            {
                clocks.push((sub.userdata, c.timeout));
            }
            _ => return None,
        }
    }
    // Where the events and their count go must be writable before the sleep starts.
    let events = GuestPtr::<Event>::new(events).as_array(n);
    let nevents = GuestPtr::<u32>::new(nevents);
    let writable = |at: u32, size: u32, align: usize| {
        (at as usize).is_multiple_of(align)
            && mem
                .as_slice(GuestPtr::<u8>::new(at).as_array(size))
                .is_ok_and(|s| s.is_some())
    };
    let event_bytes = n.checked_mul(Event::guest_size())?;
    if !writable(events.offset_base(), event_bytes, Event::guest_align())
        || !writable(nevents.offset(), 4, 4)
    {
        return None;
    }
    let shortest = clocks.iter().map(|&(_, t)| t).min().unwrap_or(0);
    Some(Wake {
        memory,
        timeout: Duration::from_nanos(shortest),
        fired: clocks
            .iter()
            .filter(|&&(_, t)| t == shortest)
            .map(|&(user, _)| user)
            .collect(),
        events,
        nevents,
    })
}

impl Wake {
    /// Writes one clock event per fired subscription and their count; returns errno 0 (success).
    fn write_events(&self, caller: &mut Caller<'_, StoreData>) -> wasmtime::Result<i32> {
        let mut mem = GuestMemory::Unshared(self.memory.data_mut(&mut *caller));
        for (i, &userdata) in self.fired.iter().enumerate() {
            let at = u32::try_from(i).ok().and_then(|i| self.events.get(i));
            let at = at.ok_or_else(|| wasmtime::format_err!("poll event {i} out of range"))?;
            mem.write(
                at,
                Event {
                    userdata,
                    error: Errno::Success,
                    type_: Eventtype::Clock,
                    fd_readwrite: EventFdReadwrite {
                        flags: Eventrwflags::empty(),
                        nbytes: 0,
                    },
                },
            )?;
        }
        let count = u32::try_from(self.fired.len()).unwrap_or(u32::MAX);
        mem.write(self.nevents, count)?;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The preview 1 ABI this file reads and writes, as wasmtime-wasi's types lay it out.
    #[test]
    fn wasi_preview1_layouts_are_the_ones_relied_on() {
        assert_eq!(
            (Subscription::guest_size(), Subscription::guest_align()),
            (48, 8)
        );
        assert_eq!((Event::guest_size(), Event::guest_align()), (32, 8));
    }

    /// The stock linker function this file shadows still has the signature shadowed.
    #[test]
    fn the_stock_poll_oneoff_is_the_one_shadowed() {
        let engine = wasmtime::Engine::default();
        let mut linker = wasmtime::Linker::<StoreData>::new(&engine);
        super::super::add_stock(&mut linker).unwrap();
        let mut store = wasmtime::Store::new(&engine, StoreData::default());
        let f = linker
            .get(&mut store, "wasi_snapshot_preview1", "poll_oneoff")
            .ok()
            .and_then(|e| e.into_func())
            .expect("wasmtime-wasi defines poll_oneoff");
        let ty = f.ty(&store);
        let names = |types: &mut dyn Iterator<Item = wasmtime::ValType>| {
            types.map(|t| t.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(names(&mut ty.params()), ["i32", "i32", "i32", "i32"]);
        assert_eq!(names(&mut ty.results()), ["i32"]);
    }
}
