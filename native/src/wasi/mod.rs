//! WASI preview 1 through wasmtime-wasi: a store's context built from a Java `WasiConfig`
//! (`config.rs`), stdio backed by Java streams (`stdio.rs`), the linker's `wasi_snapshot_preview1`
//! imports with a `poll_oneoff` that stops with the store (`poll.rs`), and the JNI entries here.

mod config;
mod p2;
mod poll;
mod stdio;

use std::path::PathBuf;
use std::sync::Arc;

use jni::objects::{JBooleanArray, JByteArray, JClass, JIntArray, JObject, JObjectArray, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::{Env, EnvUnowned};

pub use config::{build, Captured, Config, Input, NetRule, Output, Preopen, P2};
pub use p2::{add_to_linker as add_p2_to_linker, Pump, Waiting};
pub use stdio::{init_cache, Failure, JavaInput, JavaOutput, JavaStream};
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};

use crate::bridge::abi::{self, STREAM_INHERIT, STREAM_MEMORY, STREAM_NONE, STREAM_STREAM};
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle;
use crate::linker::LinkerBox;
use crate::store::{self, StoreData};

/// A `proc_exit` code that WASI does not allow (126 and up, as Wasmtime's own `proc_exit` refuses
/// them): the call fails with this error, a trap (without trap code) whose message names the
/// exit code, where Wasmtime's own says only "invalid exit status".
#[derive(Debug, thiserror::Error)]
#[error("the program called proc_exit({0}), but WASI exit codes are 0 to 125 (Wasmtime refuses the others)")]
pub struct BadExitCode(pub u32);

/// Adds `wasi_snapshot_preview1` to a linker, served by each store's own context, with
/// `poll_oneoff` replaced by [`poll_oneoff`] so a deadline or an interrupt also ends a guest that
/// sleeps, and `proc_exit` by one that says which code it refused ([`BadExitCode`]). `shadowing`
/// is the linker's own setting, restored afterwards.
pub fn add_to_linker(
    linker: &mut wasmtime::Linker<StoreData>,
    shadowing: bool,
) -> wasmtime::Result<()> {
    add_stock(linker)?;
    linker.allow_shadowing(true);
    let defined = linker.func_wrap(
        "wasi_snapshot_preview1",
        "poll_oneoff",
        |mut caller: wasmtime::Caller<'_, StoreData>,
         subs: i32,
         events: i32,
         n: i32,
         nevents: i32|
         -> wasmtime::Result<i32> {
            poll::poll_oneoff(&mut caller, [subs, events, n, nevents])
        },
    );
    let defined = defined.map(|_| ()).and_then(|()| {
        linker.func_wrap(
            "wasi_snapshot_preview1",
            "proc_exit",
            |status: u32| -> wasmtime::Result<()> {
                // wasmtime-wasi's proc_exit, with the refused code named.
                Err(if status < 126 {
                    wasmtime_wasi::I32Exit(status as i32).into()
                } else {
                    BadExitCode(status).into()
                })
            },
        )
    });
    let defined = defined.map(|_| ());
    linker.allow_shadowing(shadowing);
    defined
}

/// wasmtime-wasi's own preview 1 functions, each store served from its own context.
fn add_stock(linker: &mut wasmtime::Linker<StoreData>) -> wasmtime::Result<()> {
    wasmtime_wasi::p1::add_to_linker_sync(linker, |d: &mut StoreData| {
        d.wasi.get_or_insert_with(config::empty_ctx)
    })
}

fn strings(env: &mut Env<'_>, array: &JObjectArray<'_, JString<'_>>) -> Result<Vec<String>> {
    if array.is_null() {
        return Ok(Vec::new());
    }
    let n = array.len(env)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let s = array.get_element(env, i)?;
        if s.is_null() {
            return Err(Error::IllegalArgument(
                "null string in WASI configuration".into(),
            ));
        }
        out.push(s.try_to_string(env)?);
        env.delete_local_ref(s);
    }
    Ok(out)
}

fn java_stream(
    env: &mut Env<'_>,
    obj: &JObject<'_>,
    store: jlong,
    what: &'static str,
) -> Result<JavaStream> {
    if obj.is_null() {
        return Err(Error::IllegalArgument(format!("no Java stream for {what}")));
    }
    Ok(JavaStream {
        target: Arc::new(env.new_global_ref(obj)?),
        store,
        what,
    })
}

fn output_mode(
    env: &mut Env<'_>,
    mode: jint,
    stream: &JObject<'_>,
    limit: jlong,
    store: jlong,
    what: &'static str,
) -> Result<Output> {
    Ok(match mode {
        STREAM_NONE => Output::Discard,
        STREAM_INHERIT => Output::Inherit,
        STREAM_MEMORY => Output::Capture(MemoryOutputPipe::new(
            usize::try_from(limit)
                .map_err(|_| Error::IllegalArgument(format!("bad {what} capture limit {limit}")))?,
        )),
        STREAM_STREAM => Output::Java(JavaOutput(java_stream(env, stream, store, what)?)),
        _ => return Err(Error::IllegalArgument(format!("bad {what} mode {mode}"))),
    })
}

/// Replaces the store's WASI context with one built from a Java `WasiConfig` (taken apart by
/// `Store.setWasi`). `env` holds name/value pairs flattened; the three preopen arrays are parallel.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeSetWasi<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
    args: JObjectArray<'l, JString<'l>>,
    env_pairs: JObjectArray<'l, JString<'l>>,
    inherit_env: jboolean,
    stdin_mode: jint,
    stdin_bytes: JByteArray<'l>,
    stdin_stream: JObject<'l>,
    stdout_mode: jint,
    stdout_stream: JObject<'l>,
    stdout_limit: jlong,
    stderr_mode: jint,
    stderr_stream: JObject<'l>,
    stderr_limit: jlong,
    preopen_hosts: JObjectArray<'l, JString<'l>>,
    preopen_guests: JObjectArray<'l, JString<'l>>,
    preopen_read_only: JBooleanArray<'l>,
    network: JObjectArray<'l, JString<'l>>,
    network_ports: JIntArray<'l>,
    sockets: jint,
) {
    entry(&mut env, |env| {
        // SAFETY: live store handle owned by this thread (Store.enter).
        let stop = unsafe { store::context(store) }?.data().stop.clone();
        let args = strings(env, &args)?;
        let flat = strings(env, &env_pairs)?;
        if flat.len() % 2 != 0 {
            return Err(Error::IllegalArgument(
                "environment must be name/value pairs".into(),
            ));
        }
        let vars = flat
            .chunks_exact(2)
            .map(|p| (p[0].clone(), p[1].clone()))
            .collect();
        let stdin = match stdin_mode {
            STREAM_NONE => Input::Empty,
            STREAM_INHERIT => Input::Inherit,
            STREAM_MEMORY => {
                if stdin_bytes.is_null() {
                    return Err(Error::IllegalArgument("no stdin bytes".into()));
                }
                Input::Bytes(MemoryInputPipe::new(env.convert_byte_array(&stdin_bytes)?))
            }
            STREAM_STREAM => Input::Java(JavaInput::new(
                java_stream(env, &stdin_stream, store, "stdin")?,
                stop.clone(),
            )),
            _ => {
                return Err(Error::IllegalArgument(format!(
                    "bad stdin mode {stdin_mode}"
                )))
            }
        };
        let stdout = output_mode(
            env,
            stdout_mode,
            &stdout_stream,
            stdout_limit,
            store,
            "stdout",
        )?;
        let stderr = output_mode(
            env,
            stderr_mode,
            &stderr_stream,
            stderr_limit,
            store,
            "stderr",
        )?;
        let hosts = strings(env, &preopen_hosts)?;
        let guests = strings(env, &preopen_guests)?;
        let mut read_only = vec![false; hosts.len()];
        if !hosts.is_empty() {
            if preopen_read_only.is_null() || preopen_read_only.len(env)? != hosts.len() {
                return Err(Error::IllegalArgument(
                    "preopen arrays differ in length".into(),
                ));
            }
            preopen_read_only.get_region(env, 0, &mut read_only)?;
        }
        if guests.len() != hosts.len() {
            return Err(Error::IllegalArgument(
                "preopen arrays differ in length".into(),
            ));
        }
        let preopens = hosts
            .into_iter()
            .zip(guests)
            .zip(read_only)
            .map(|((host, guest), ro)| Preopen {
                host: PathBuf::from(host),
                guest,
                read_only: ro,
            })
            .collect();
        let networks = strings(env, &network)?;
        let mut ports = vec![0; networks.len()];
        if network_ports.is_null() || network_ports.len(env)? != networks.len() {
            return Err(Error::IllegalArgument(
                "network arrays differ in length".into(),
            ));
        }
        network_ports.get_region(env, 0, &mut ports)?;
        let network = networks
            .iter()
            .zip(ports)
            .map(|(cidr, port)| NetRule::parse(cidr, port))
            .collect::<Result<Vec<_>>>()?;
        let contexts = build(Config {
            args,
            env: vars,
            inherit_env,
            stdin,
            stdout,
            stderr,
            preopens,
            network,
            name_lookup: sockets & abi::SOCKETS_NAME_LOOKUP != 0,
            tcp: sockets & abi::SOCKETS_TCP != 0,
            udp: sockets & abi::SOCKETS_UDP != 0,
        })?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        let data = cx.data_mut();
        data.wasi = Some(contexts.p1);
        data.set_ext(contexts.p2);
        data.set_ext(contexts.captured);
        Ok(())
    })
}

fn captured(store: jlong, stderr: bool) -> Result<Vec<u8>> {
    // SAFETY: live store handle owned by this thread (Store.enter).
    let cx = unsafe { store::context(store) }?;
    let none = Captured::default();
    let c = cx.data().ext_ref::<Captured>().unwrap_or(&none);
    let (pipe, what) = if stderr {
        (&c.stderr, "stderr")
    } else {
        (&c.stdout, "stdout")
    };
    match pipe {
        Some(p) => Ok(p.contents().to_vec()),
        None => Err(Error::IllegalState(format!(
            "the store's WASI {what} is not captured"
        ))),
    }
}

/// Everything the guest wrote to its captured stdout so far.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeWasiStdout<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        let bytes = captured(store, false)?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}

/// Everything the guest wrote to its captured stderr so far.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_storeWasiStderr<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        let bytes = captured(store, true)?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}

/// Defines the `wasi_snapshot_preview1` imports in a linker.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_linkerDefineWasi<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    linker: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: live linker handle (Handle.acquire); LinkerBox locks itself.
        let l = unsafe { handle::get::<LinkerBox>(linker) }?;
        l.edit(add_to_linker)
            .map_err(|e| Error::Link(format!("{e:#}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmtime::{Engine, Linker, Module, Store};

    fn run(config: Config, wat: &str) -> (wasmtime::Result<()>, Captured) {
        let engine = Engine::default();
        let mut linker = Linker::new(&engine);
        add_to_linker(&mut linker, false).unwrap();
        let contexts = build(config).unwrap();
        let captured = contexts.captured;
        let mut store = Store::new(&engine, StoreData::default());
        store.data_mut().wasi = Some(contexts.p1);
        let module = Module::new(&engine, wat).unwrap();
        let result = linker.instantiate(&mut store, &module).and_then(|i| {
            i.get_typed_func::<(), ()>(&mut store, "_start")?
                .call(&mut store, ())
        });
        (result, captured)
    }

    fn config() -> Config {
        Config {
            args: Vec::new(),
            env: Vec::new(),
            inherit_env: false,
            stdin: Input::Empty,
            stdout: Output::Capture(MemoryOutputPipe::new(1 << 20)),
            stderr: Output::Capture(MemoryOutputPipe::new(16)),
            preopens: Vec::new(),
            network: Vec::new(),
            name_lookup: false,
            tcp: true,
            udp: true,
        }
    }

    /// Writes "hello\n" to stdout, then "0123456789abcdefXYZ" (19 bytes) to stderr, then exits with
    /// the errno of the second write (0 if it succeeded).
    const WRITE: &str = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello\n")
        (data (i32.const 32) "0123456789abcdefXYZ")
        (func (export "_start")
            (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
            (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            (i32.store (i32.const 0) (i32.const 32)) (i32.store (i32.const 4) (i32.const 19))
            (call $exit (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8)))))"#;

    #[test]
    fn captures_output_and_stops_at_the_limit() {
        let (result, captured) = run(config(), WRITE);
        let exit = result
            .unwrap_err()
            .downcast::<wasmtime_wasi::I32Exit>()
            .unwrap();
        // The stderr pipe holds 16 bytes: the write fails with EIO (29) after filling it.
        assert_eq!(exit.0, 29);
        assert_eq!(&captured.stdout.unwrap().contents()[..], b"hello\n");
        assert_eq!(
            &captured.stderr.unwrap().contents()[..],
            b"0123456789abcdef"
        );
    }

    #[test]
    fn a_store_without_a_context_gets_an_empty_one() {
        let engine = Engine::default();
        let mut linker = Linker::new(&engine);
        add_to_linker(&mut linker, false).unwrap();
        let mut store = Store::new(&engine, StoreData::default());
        let module = Module::new(
            &engine,
            r#"(module
                (import "wasi_snapshot_preview1" "args_sizes_get" (func $a (param i32 i32) (result i32)))
                (import "wasi_snapshot_preview1" "fd_prestat_get" (func $p (param i32 i32) (result i32)))
                (memory (export "memory") 1)
                (func (export "argc") (result i32) (drop (call $a (i32.const 0) (i32.const 4))) (i32.load (i32.const 0)))
                (func (export "prestat3") (result i32) (call $p (i32.const 3) (i32.const 8))))"#,
        )
        .unwrap();
        let i = linker.instantiate(&mut store, &module).unwrap();
        let argc = i.get_typed_func::<(), i32>(&mut store, "argc").unwrap();
        assert_eq!(argc.call(&mut store, ()).unwrap(), 0);
        let prestat = i.get_typed_func::<(), i32>(&mut store, "prestat3").unwrap();
        // EBADF: fd 3 is not a preopened directory.
        assert_eq!(prestat.call(&mut store, ()).unwrap(), 8);
        assert!(store.data().wasi.is_some());
    }

    #[test]
    fn a_missing_preopen_directory_is_an_illegal_argument() {
        let mut c = config();
        c.preopens.push(Preopen {
            host: PathBuf::from("/nonexistent/wasmbridge/dir"),
            guest: "/data".into(),
            read_only: true,
        });
        match build(c) {
            Err(Error::IllegalArgument(m)) => assert!(m.contains("/nonexistent/wasmbridge/dir")),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("preopen of a missing directory succeeded"),
        }
    }

    #[test]
    fn proc_exit_codes_past_125_are_refused_by_number() {
        let exit = |code: i32| {
            let wat = format!(
                r#"(module (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
                    (memory (export "memory") 1)
                    (func (export "_start") (call $exit (i32.const {code}))))"#
            );
            run(config(), &wat).0.unwrap_err()
        };
        assert_eq!(
            exit(125).downcast::<wasmtime_wasi::I32Exit>().unwrap().0,
            125
        );
        assert_eq!(exit(0).downcast::<wasmtime_wasi::I32Exit>().unwrap().0, 0);
        assert_eq!(exit(126).downcast::<BadExitCode>().unwrap().0, 126);
        let refused = exit(-1).downcast::<BadExitCode>().unwrap();
        assert_eq!(refused.0, u32::MAX);
        assert!(refused
            .to_string()
            .starts_with("the program called proc_exit(4294967295), but WASI"));
    }
}
