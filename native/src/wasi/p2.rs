//! WASI 0.2 for components, with waits that end at a deadline or an interrupt.
//!
//! wasmtime-wasi's synchronous bindings wait for a pollable (`wasi:io/poll`'s `poll` and
//! `pollable.block`: every sleep, and every blocking read or write the guest builds on them) in
//! one piece, so a guest waiting there would ignore the store's deadline and `Store.interrupt()`.
//! [`add_to_linker`] replaces those two functions by ones that run wasmtime-wasi's own
//! implementation and check the store's [`Stop`] every [`SLEEP_SLICE`] while it waits.
//!
//! [`Stop`]: crate::store::Stop

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::Poll;

use wasmtime::component::{Linker, Resource};
use wasmtime::StoreContextMut;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::WasiView;
use wasmtime_wasi_io::bindings::wasi::io::poll::{Host, HostPollable};

use super::poll::SLEEP_SLICE;
use crate::store::{Stop, StoreData};

/// The `wasi:io/poll` instance wasmtime-wasi 48 defines (its WIT's version; a component importing
/// an older 0.2 version is linked to it by semver).
pub const POLL: &str = "wasi:io/poll@0.2.12";

/// Adds WASI 0.2 to a component linker, served by each store's own context, with the waits
/// replaced (see the module's comment). `shadowing` is the linker's own setting, restored
/// afterwards.
pub fn add_to_linker(linker: &mut Linker<StoreData>, shadowing: bool) -> wasmtime::Result<()> {
    wasmtime_wasi::p2::add_to_linker_sync(linker)?;
    linker.allow_shadowing(true);
    let defined = add_waits(linker);
    linker.allow_shadowing(shadowing);
    defined
}

fn add_waits(linker: &mut Linker<StoreData>) -> wasmtime::Result<()> {
    let mut poll = linker.instance(POLL)?;
    poll.func_wrap(
        "poll",
        |mut cx: StoreContextMut<'_, StoreData>, (pollables,): (Vec<Resource<DynPollable>>,)| {
            let stop = cx.data().stop.clone();
            let table = cx.data_mut().ctx().table;
            until_stopped(&stop, Host::poll(table, pollables)).map(|ready| (ready,))
        },
    )?;
    poll.func_wrap(
        "[method]pollable.block",
        |mut cx: StoreContextMut<'_, StoreData>, (pollable,): (Resource<DynPollable>,)| {
            let stop = cx.data().stop.clone();
            let table = cx.data_mut().ctx().table;
            until_stopped(&stop, HostPollable::block(table, pollable))
        },
    )?;
    Ok(())
}

/// Runs `wait` to its end, or until the store must stop (an interrupt or the deadline): then a
/// trap ends the guest's call.
fn until_stopped<T>(
    stop: &Arc<Stop>,
    wait: impl Future<Output = wasmtime::Result<T>>,
) -> wasmtime::Result<T> {
    wasmtime_wasi::runtime::in_tokio(async {
        let mut wait = pin!(wait);
        loop {
            if stop.must_stop() {
                return Err(wasmtime::Trap::Interrupt.into());
            }
            let mut slice = pin!(tokio::time::sleep(SLEEP_SLICE));
            let woke = std::future::poll_fn(|cx| {
                if let Poll::Ready(r) = wait.as_mut().poll(cx) {
                    return Poll::Ready(Some(r));
                }
                slice.as_mut().poll(cx).map(|()| None)
            })
            .await;
            if let Some(r) = woke {
                return r;
            }
        }
    })
}
