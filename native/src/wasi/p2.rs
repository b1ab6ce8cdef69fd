//! WASI 0.2 for components, with waits that end at a deadline or an interrupt.
//!
//! wasmtime-wasi's synchronous bindings wait (`wasi:io/poll`'s `poll` and `pollable.block`, and the
//! `blocking-*` methods of `wasi:io/streams`: every sleep, and every blocking read or write) in one
//! piece, so a guest waiting there would ignore the store's deadline and `Store.interrupt()`.
//! [`add_to_linker`] replaces those functions by ones that run wasmtime-wasi's own implementation
//! and check the store's [`Stop`] every [`SLEEP_SLICE`] while it waits. While the store serves an
//! HTTP request, a wait also hands Java what the guest has written of its response so far (its
//! [`Pump`], installed by `http/`): that is what lets a response stream while the guest writes it.
//!
//! [`Stop`]: crate::store::Stop

use std::any::Any;
use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};

use wasmtime::component::{Linker, Resource, ResourceTable};
use wasmtime::StoreContextMut;
use wasmtime_wasi::p2::{DynInputStream, DynOutputStream, DynPollable};
use wasmtime_wasi_io::bindings::wasi::io::poll::{Host, HostPollable};
use wasmtime_wasi_io::bindings::wasi::io::streams::{
    Host as _, HostInputStream, HostOutputStream, StreamError as WitStreamError,
};
use wasmtime_wasi_io::streams::StreamError;

use super::poll::SLEEP_SLICE;
use super::P2;
use crate::store::{Stop, StoreData};

/// The `wasi:io/poll` instance wasmtime-wasi 48 defines (its WIT's version; a component importing
/// an older 0.2 version is linked to it by semver).
pub const POLL: &str = "wasi:io/poll@0.2.12";
/// The `wasi:io/streams` instance, likewise.
pub const STREAMS: &str = "wasi:io/streams@0.2.12";

impl wasmtime_wasi::WasiView for StoreData {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        let p2 = self.ext::<P2>();
        wasmtime_wasi::WasiCtxView {
            ctx: &mut p2.ctx,
            table: &mut p2.table,
        }
    }
}

/// Work a store's waits do on the side while the guest waits (see the module's comment): the HTTP
/// exchange a store serves hands Java what the guest has written so far. This module knows it only
/// by this trait; `http/` installs it in the store's [`Waiting`].
pub trait Pump: Any + Send {
    /// Moves on what is ready, without waiting; an error ends the guest's call with a trap.
    fn pump(&mut self) -> wasmtime::Result<()>;

    /// Whether [`Pump::pump`] has something to do; registers `cx` to be woken when it has.
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<()>;
}

/// A store's [`Pump`], while one is installed (a store extension, `StoreData::ext`).
#[derive(Default)]
pub struct Waiting(pub Option<Box<dyn Pump>>);

/// What a wait needs: the resource table, the store's [`Pump`] if any, and the stop.
fn wait_parts(data: &mut StoreData) -> (&mut ResourceTable, Option<&mut dyn Pump>, Arc<Stop>) {
    let stop = data.stop.clone();
    let (p2, waiting) = data.ext_pair::<P2, Waiting>();
    (&mut p2.table, waiting.0.as_deref_mut(), stop)
}

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
            let (table, pump, stop) = wait_parts(cx.data_mut());
            until_stopped(&stop, pump, Host::poll(table, pollables)).map(|ready| (ready,))
        },
    )?;
    poll.func_wrap(
        "[method]pollable.block",
        |mut cx: StoreContextMut<'_, StoreData>, (pollable,): (Resource<DynPollable>,)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            until_stopped(&stop, pump, HostPollable::block(table, pollable))
        },
    )?;
    let mut streams = linker.instance(STREAMS)?;
    streams.func_wrap(
        "[method]input-stream.blocking-read",
        |mut cx: StoreContextMut<'_, StoreData>, (s, len): (Resource<DynInputStream>, u64)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            stream_wait(table, &stop, pump, |t| {
                Box::pin(HostInputStream::blocking_read(t, s, len))
            })
        },
    )?;
    streams.func_wrap(
        "[method]input-stream.blocking-skip",
        |mut cx: StoreContextMut<'_, StoreData>, (s, len): (Resource<DynInputStream>, u64)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            stream_wait(table, &stop, pump, |t| {
                Box::pin(HostInputStream::blocking_skip(t, s, len))
            })
        },
    )?;
    streams.func_wrap(
        "[method]output-stream.blocking-write-and-flush",
        |mut cx: StoreContextMut<'_, StoreData>,
         (s, bytes): (Resource<DynOutputStream>, Vec<u8>)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            stream_wait(table, &stop, pump, |t| {
                Box::pin(HostOutputStream::blocking_write_and_flush(t, s, bytes))
            })
        },
    )?;
    streams.func_wrap(
        "[method]output-stream.blocking-write-zeroes-and-flush",
        |mut cx: StoreContextMut<'_, StoreData>, (s, len): (Resource<DynOutputStream>, u64)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            stream_wait(table, &stop, pump, |t| {
                Box::pin(HostOutputStream::blocking_write_zeroes_and_flush(t, s, len))
            })
        },
    )?;
    streams.func_wrap(
        "[method]output-stream.blocking-flush",
        |mut cx: StoreContextMut<'_, StoreData>, (s,): (Resource<DynOutputStream>,)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            stream_wait(table, &stop, pump, |t| {
                Box::pin(HostOutputStream::blocking_flush(t, s))
            })
        },
    )?;
    streams.func_wrap(
        "[method]output-stream.blocking-splice",
        |mut cx: StoreContextMut<'_, StoreData>,
         (s, src, len): (Resource<DynOutputStream>, Resource<DynInputStream>, u64)| {
            let (table, pump, stop) = wait_parts(cx.data_mut());
            stream_wait(table, &stop, pump, |t| {
                Box::pin(HostOutputStream::blocking_splice(t, s, src, len))
            })
        },
    )?;
    Ok(())
}

/// What a `blocking-*` stream method does with the table: wasmtime-wasi's own method, boxed.
type StreamOp<'a, T> = Pin<Box<dyn Future<Output = Result<T, StreamError>> + Send + 'a>>;

/// A `blocking-*` stream method: `op` on the table until it ends or the store must stop, its error
/// turned into the WIT `stream-error` (or a trap) as wasmtime-wasi's own method does.
fn stream_wait<T>(
    table: &mut ResourceTable,
    stop: &Arc<Stop>,
    pump: Option<&mut dyn Pump>,
    op: impl for<'a> FnOnce(&'a mut ResourceTable) -> StreamOp<'a, T>,
) -> wasmtime::Result<(Result<T, WitStreamError>,)> {
    let outcome = until_stopped(stop, pump, async { Ok(op(&mut *table).await) })?;
    match outcome {
        Ok(v) => Ok((Ok(v),)),
        Err(e) => Ok((Err(table.convert_stream_error(e)?),)),
    }
}

/// Runs `wait` to its end, or until the store must stop (an interrupt or the deadline): then a
/// trap ends the guest's call. While it waits, the store's [`Pump`] (if any) runs: the HTTP exchange
/// hands Java what the guest has produced; a client that went away ends the wait with a trap too.
fn until_stopped<T>(
    stop: &Arc<Stop>,
    mut pump: Option<&mut dyn Pump>,
    wait: impl Future<Output = wasmtime::Result<T>>,
) -> wasmtime::Result<T> {
    let mut wait = pin!(wait);
    loop {
        if let Some(p) = pump.as_deref_mut() {
            p.pump()?;
        }
        if stop.must_stop() {
            return Err(wasmtime::Trap::Interrupt.into());
        }
        let woke = wasmtime_wasi::runtime::in_tokio(async {
            let mut slice = pin!(tokio::time::sleep(SLEEP_SLICE));
            std::future::poll_fn(|cx| {
                if let Poll::Ready(r) = wait.as_mut().poll(cx) {
                    return Poll::Ready(Some(r));
                }
                if let Some(p) = pump.as_deref_mut() {
                    if p.poll_ready(cx).is_ready() {
                        return Poll::Ready(None);
                    }
                }
                slice.as_mut().poll(cx).map(|()| None)
            })
            .await
        });
        if let Some(r) = woke {
            return r;
        }
    }
}
