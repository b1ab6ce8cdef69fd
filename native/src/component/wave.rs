//! Calls with values in WAVE, the WebAssembly Value Encoding (`ComponentFunction.callWave`, the
//! CLI's `run --invoke 'f(1, "x")'`): the arguments are parsed by the function's parameter types
//! with the `wasm-wave` crate (Wasmtime's `wave` feature), and the result is written back in WAVE.
//!
//! WAVE has no syntax for resources (nor streams, futures or error contexts), so a function whose
//! parameters or result hold one is refused before anything is called.

use jni::objects::{JClass, JObject, JString};
use jni::sys::{jint, jlong};
use jni::EnvUnowned;
use wasmtime::component::wasm_wave;
use wasmtime::component::wasm_wave::parser::ParserError;
use wasmtime::component::wasm_wave::untyped::UntypedFuncCall;
use wasmtime::component::{Type, Val};
use wasmtime::StoreContextMut;

use super::{values, CompFunc, StoreComponents};
use crate::bridge::error::{Error, Result};
use crate::bridge::ffi::entry;
use crate::store::{self, JavaFrame, StoreData};

/// Calls a component function with `args`, its arguments in WAVE as written between the
/// parentheses of a call (`1, "two", [3]`); returns the result in WAVE, or null if the function has
/// no result.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_component_ComponentNative_funcCallWave<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    store_obj: JObject<'l>,
    store: jlong,
    func: jint,
    args: JString<'l>,
) -> JString<'l> {
    entry(&mut env, |env| {
        let frame = JavaFrame::new(env.get_raw(), store_obj.as_raw(), store);
        let args = args.try_to_string(env)?;
        // SAFETY: live store handle owned by this thread (Store.enter).
        let mut cx = unsafe { store::context(store) }?;
        // SAFETY: entries are boxed and live as long as the store.
        let f = unsafe { &*cx.data_mut().ext::<StoreComponents>().func(func)? };
        match call(&mut cx, f, frame, &args)? {
            Some(text) => Ok(JString::from_str(env, text)?),
            None => Ok(JString::null()),
        }
    })
}

/// The body of `funcCallWave`.
fn call(
    cx: &mut StoreContextMut<'_, StoreData>,
    f: &CompFunc,
    frame: JavaFrame,
    args: &str,
) -> Result<Option<String>> {
    for (i, (name, ty)) in f.params.iter().enumerate() {
        if let Some(what) = unsupported(ty) {
            return Err(Error::IllegalArgument(format!(
                "argument {} '{name}' is {}, which has no WAVE syntax ({what}): call the function \
                 with call(Object...) instead",
                i + 1,
                wit_name(ty)
            )));
        }
    }
    if let Some(what) = f.result.as_ref().and_then(unsupported) {
        return Err(Error::IllegalArgument(format!(
            "the result has no WAVE syntax ({what}): call the function with call(Object...) instead"
        )));
    }
    let params = parse_args(f, args)?;
    let mut results: Vec<Val> = f.result.iter().map(|_| values::placeholder()).collect();
    store::with_frame(cx, frame, |cx| f.func.call(cx, &params, &mut results))
        .map_err(|e| Error::from_wasm(e, Error::Wasm))?;
    match results.first() {
        Some(v) => wasm_wave::to_string(v)
            .map(Some)
            .map_err(|e| Error::Wasm(format!("cannot write the result in WAVE: {e}"))),
        None => Ok(None),
    }
}

/// The source `parse_args` hands the WAVE parser: the arguments inside a call of this name.
const PREFIX: &str = "f(";

/// Parses `args` (the text between a call's parentheses) by the function's parameter types.
fn parse_args(f: &CompFunc, args: &str) -> Result<Vec<Val>> {
    let source = format!("{PREFIX}{args})");
    let call = UntypedFuncCall::parse(&source).map_err(|e| parse_error(f, args, None, &e))?;
    let types: Vec<&Type> = f.params.iter().map(|(_, t)| t).collect();
    // `f()` with only option parameters: all none (wasm-wave leaves out trailing options only after
    // a first argument).
    if call.params_node().is_none() && types.iter().all(|t| matches!(t, Type::Option(_))) {
        return Ok(types.iter().map(|_| Val::Option(None)).collect());
    }
    call.to_wasm_params::<Val>(types)
        .map_err(|e| parse_error(f, args, call.params_node(), &e))
}

/// A WAVE error as an `IllegalArgumentException`: what is wrong, where in `args`, and in which
/// argument when the error lies inside one.
fn parse_error(
    f: &CompFunc,
    args: &str,
    params: Option<&wasm_wave::ast::Node>,
    e: &ParserError,
) -> Error {
    let span = e.span();
    // The span in `args`: the source is PREFIX + args + ")".
    let start = span.start.saturating_sub(PREFIX.len()).min(args.len());
    let end = span
        .end
        .saturating_sub(PREFIX.len())
        .clamp(start, args.len());
    let mut what = e.kind().to_string();
    if let Some(detail) = e.detail() {
        what.push_str(": ");
        what.push_str(detail);
    } else if let Some(cause) = std::error::Error::source(e) {
        what.push_str(&format!(": {cause}"));
    }
    let argument = params
        .and_then(|p| p.as_tuple().ok())
        .and_then(|mut nodes| {
            nodes.position(|n| n.span().start <= span.start && span.end <= n.span().end)
        })
        .and_then(|i| f.params.get(i).map(|(name, ty)| (i, name, ty)));
    let place = match argument {
        Some((i, name, ty)) => format!("argument {} '{name}' ({}): ", i + 1, wit_name(ty)),
        None => String::new(),
    };
    let at = if start < end && args.is_char_boundary(start) && args.is_char_boundary(end) {
        format!(" at `{}` (characters {start}..{end})", &args[start..end])
    } else if start >= args.len() {
        " at the end of the arguments".to_owned()
    } else {
        format!(" at character {start}")
    };
    let expected = if f.params.is_empty() {
        "no arguments".to_owned()
    } else {
        f.params
            .iter()
            .map(|(n, t)| format!("{n}: {}", wit_name(t)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Error::IllegalArgument(format!(
        "invalid WAVE arguments `{args}`: {place}{what}{at} (the function takes {expected})"
    ))
}

/// What in `ty` WAVE cannot write, if anything.
fn unsupported(ty: &Type) -> Option<&'static str> {
    match ty {
        Type::Own(_) | Type::Borrow(_) => Some("a resource"),
        Type::Stream(_) => Some("a stream"),
        Type::Future(_) => Some("a future"),
        Type::ErrorContext => Some("an error-context"),
        Type::Map(_) => Some("a map"),
        Type::List(l) => unsupported(&l.ty()),
        Type::FixedLengthList(l) => unsupported(&l.ty()),
        Type::Option(o) => unsupported(&o.ty()),
        Type::Result(r) => r
            .ok()
            .as_ref()
            .and_then(unsupported)
            .or_else(|| r.err().as_ref().and_then(unsupported)),
        Type::Record(r) => r.fields().find_map(|f| unsupported(&f.ty)),
        Type::Tuple(t) => t.types().find_map(|t| unsupported(&t)),
        Type::Variant(v) => v.cases().find_map(|c| c.ty.as_ref().and_then(unsupported)),
        _ => None,
    }
}

/// A type in WIT-like text, for error messages (records, variants, enums and flags by their
/// structure: the type does not carry their names).
pub(super) fn wit_name(ty: &Type) -> String {
    fn join(items: impl Iterator<Item = String>) -> String {
        items.collect::<Vec<_>>().join(", ")
    }
    match ty {
        Type::Bool => "bool".into(),
        Type::S8 => "s8".into(),
        Type::U8 => "u8".into(),
        Type::S16 => "s16".into(),
        Type::U16 => "u16".into(),
        Type::S32 => "s32".into(),
        Type::U32 => "u32".into(),
        Type::S64 => "s64".into(),
        Type::U64 => "u64".into(),
        Type::Float32 => "f32".into(),
        Type::Float64 => "f64".into(),
        Type::Char => "char".into(),
        Type::String => "string".into(),
        Type::List(l) => format!("list<{}>", wit_name(&l.ty())),
        Type::FixedLengthList(l) => format!("list<{}, {}>", wit_name(&l.ty()), l.len()),
        Type::Record(r) => format!(
            "record {{ {} }}",
            join(
                r.fields()
                    .map(|f| format!("{}: {}", f.name, wit_name(&f.ty)))
            )
        ),
        Type::Tuple(t) => format!("tuple<{}>", join(t.types().map(|t| wit_name(&t)))),
        Type::Variant(v) => format!(
            "variant {{ {} }}",
            join(v.cases().map(|c| match &c.ty {
                Some(t) => format!("{}({})", c.name, wit_name(t)),
                None => c.name.to_owned(),
            }))
        ),
        Type::Enum(e) => format!("enum {{ {} }}", join(e.names().map(str::to_owned))),
        Type::Option(o) => format!("option<{}>", wit_name(&o.ty())),
        Type::Result(r) => match (r.ok(), r.err()) {
            (None, None) => "result".into(),
            (Some(ok), None) => format!("result<{}>", wit_name(&ok)),
            (None, Some(err)) => format!("result<_, {}>", wit_name(&err)),
            (Some(ok), Some(err)) => format!("result<{}, {}>", wit_name(&ok), wit_name(&err)),
        },
        Type::Flags(fl) => format!("flags {{ {} }}", join(fl.names().map(str::to_owned))),
        Type::Own(_) => "own<resource>".into(),
        Type::Borrow(_) => "borrow<resource>".into(),
        Type::Stream(t) => t
            .ty()
            .map_or_else(|| "stream".into(), |t| format!("stream<{}>", wit_name(&t))),
        Type::Future(t) => t
            .ty()
            .map_or_else(|| "future".into(), |t| format!("future<{}>", wit_name(&t))),
        Type::ErrorContext => "error-context".into(),
        Type::Map(m) => format!("map<{}, {}>", wit_name(&m.key()), wit_name(&m.value())),
    }
}
