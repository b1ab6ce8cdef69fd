//! `Module`: compiled wasm code, shared by every thread.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use jni::EnvUnowned;
use wasmtime::Module;

use crate::bridge::error::{Error, Position, Result};
use crate::bridge::ffi::entry;
use crate::bridge::handle::{self, Tagged};
use crate::engine::EngineBox;
use crate::types::Encoder;

pub struct ModuleBox {
    pub module: Module,
}

impl Tagged for ModuleBox {
    const TAG: u32 = 0x5701_0002;
    const NAME: &'static str = "Module";
}

/// A compile error from Wasmtime, with the binary offset its parser or validator reported.
fn compile_error(e: wasmtime::Error) -> Error {
    let offset = e.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<wasmparser::BinaryReaderError>() {
            Some(e.offset() as u64)
        } else if let Some(wasmtime_environ::WasmError::InvalidWebAssembly { offset, .. }) =
            cause.downcast_ref::<wasmtime_environ::WasmError>()
        {
            Some(*offset as u64)
        } else {
            None
        }
    });
    Error::Compile(
        format!("{e:#}"),
        Position {
            offset,
            line_col: None,
        },
    )
}

/// Refuses Wasmtime's precompiled machine code where WebAssembly is expected: it loads only through
/// the `deserializeTrusted` entries, which say that the caller trusts it.
pub fn refuse_precompiled(bytes: &[u8]) -> Result<()> {
    match wasmtime::Engine::detect_precompiled(bytes) {
        None => Ok(()),
        Some(kind) => {
            let (what, entry) = match kind {
                wasmtime::Precompiled::Module => ("module", "Module.deserializeTrusted"),
                wasmtime::Precompiled::Component => ("component", "Component.deserializeTrusted"),
            };
            Err(Error::compile(format!(
                "this is a precompiled Wasmtime {what} (machine code), not WebAssembly: \
                 load precompiled code only from a source you trust, with {entry}"
            )))
        }
    }
}

/// Compiles a binary module (text is refused here; `fromWat` is the text entry).
pub fn compile(engine: &wasmtime::Engine, bytes: &[u8]) -> Result<Module> {
    refuse_precompiled(bytes)?;
    if wasmparser::Parser::is_component(bytes) {
        return Err(Error::compile(
            "this is a component, not a core module: load it with Component.fromBytes",
        ));
    }
    Module::from_binary(engine, bytes).map_err(compile_error)
}

/// Parses WAT text to binary with the `wast` crate (what `wat::parse_str` does), keeping the error's
/// line and column.
pub fn wat_to_binary(text: &str) -> Result<Vec<u8>> {
    let fail = |mut e: wast::Error| {
        let (line, col) = e.span().linecol_in(text);
        e.set_text(text);
        Error::Compile(
            format!("invalid WAT: {e}"),
            Position {
                offset: None,
                line_col: Some((
                    u32::try_from(line + 1).unwrap_or(u32::MAX),
                    u32::try_from(col + 1).unwrap_or(u32::MAX),
                )),
            },
        )
    };
    let buf = wast::parser::ParseBuffer::new(text).map_err(fail)?;
    let mut wat: wast::Wat = wast::parser::parse(&buf).map_err(fail)?;
    wat.encode().map_err(fail)
}

/// Compiles a module from WAT text: a validation error there has no position in the text (and
/// the binary offset would point into bytes the caller never saw), so it is reported without one.
pub fn compile_wat(engine: &wasmtime::Engine, text: &str) -> Result<Module> {
    let binary = wat_to_binary(text)?;
    compile(engine, &binary).map_err(|e| match e {
        Error::Compile(m, _) => Error::compile(m),
        other => other,
    })
}

pub fn imports(module: &Module) -> Vec<u8> {
    let mut e = Encoder::default();
    e.len(module.imports().len());
    for i in module.imports() {
        e.str(i.module());
        e.str(i.name());
        e.extern_type(&i.ty());
    }
    e.0
}

pub fn exports(module: &Module) -> Vec<u8> {
    let mut e = Encoder::default();
    e.len(module.exports().len());
    for x in module.exports() {
        e.str(x.name());
        e.extern_type(&x.ty());
    }
    e.0
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleNew<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        let module = compile(&engine.engine, &bytes)?;
        Ok(handle::into_handle(ModuleBox { module }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleFromWat<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    text: JString<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let text = text.try_to_string(env)?;
        let module = compile_wat(&engine.engine, &text)?;
        Ok(handle::into_handle(ModuleBox { module }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_watToBinary<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    text: JString<'l>,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        let text = text.try_to_string(env)?;
        Ok(env.byte_array_from_slice(&wat_to_binary(&text)?)?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleValidate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        refuse_precompiled(&bytes)?;
        Module::validate(&engine.engine, &bytes).map_err(compile_error)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleImports<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    module: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live module handle (Handle.acquire).
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        Ok(env.byte_array_from_slice(&imports(&m.module))?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleExports<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    module: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live module handle (Handle.acquire).
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        Ok(env.byte_array_from_slice(&exports(&m.module))?)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleName<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    module: jlong,
) -> JString<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live module handle (Handle.acquire).
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        match m.module.name() {
            Some(name) => Ok(JString::from_str(env, name)?),
            None => Ok(JString::null()),
        }
    })
}

/// The module compiled to Wasmtime's precompiled format (`Module.serialize`).
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleSerialize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    module: jlong,
) -> JByteArray<'l> {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live module handle (Handle.acquire).
        let m = unsafe { handle::get::<ModuleBox>(module) }?;
        let bytes = m
            .module
            .serialize()
            .map_err(|e| Error::Wasm(format!("cannot serialize the module: {e:#}")))?;
        Ok(env.byte_array_from_slice(&bytes)?)
    })
}

/// Loads a precompiled module (`Module.deserializeTrusted`). Only bytes that `serialize` produced
/// (a trusted source) may be given: Wasmtime checks the format, version and engine settings, but
/// not the machine code itself.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleDeserialize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        match wasmtime::Engine::detect_precompiled(&bytes) {
            Some(wasmtime::Precompiled::Module) => {}
            other => return Err(not_precompiled(other)),
        }
        // SAFETY: the API contract (Module.deserializeTrusted's Javadoc) requires bytes from a
        // trusted `serialize`; Wasmtime verifies the header, its version and the engine configuration.
        let module = unsafe { Module::deserialize(&engine.engine, &bytes) }
            .map_err(|e| Error::compile(format!("cannot load the precompiled module: {e:#}")))?;
        Ok(handle::into_handle(ModuleBox { module }))
    })
}

/// Why bytes that are not a precompiled module (`kind`) cannot be deserialized as one.
fn not_precompiled(kind: Option<wasmtime::Precompiled>) -> Error {
    if kind == Some(wasmtime::Precompiled::Component) {
        Error::compile("this is a precompiled component, not a module: load it with Component.deserializeTrusted")
    } else {
        Error::compile("not a precompiled Wasmtime module (use Module.fromBytes for .wasm files)")
    }
}

/// Loads a precompiled module from a file (`Module.deserializeTrustedFile`), which Wasmtime maps
/// into memory instead of reading it: the file must come from a trusted source and must not change
/// while the module lives.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleDeserializeFile<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    path: JString<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let path = std::path::PathBuf::from(path.try_to_string(env)?);
        // Wasmtime's file check parses any file as ELF: a wasm binary is told apart here first.
        let mut head = [0u8; 4];
        let is_elf = std::fs::File::open(&path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok_and(|()| head == *b"\x7fELF");
        if !is_elf {
            return Err(not_precompiled(None));
        }
        match wasmtime::Engine::detect_precompiled_file(&path) {
            Ok(Some(wasmtime::Precompiled::Module)) => {}
            Ok(other) => return Err(not_precompiled(other)),
            // Java checked that the file is readable: what fails here is its contents (a truncated
            // or otherwise broken ELF file).
            Err(e) => {
                return Err(Error::compile(format!(
                    "cannot load the precompiled module: {e:#}"
                )));
            }
        }
        // SAFETY: as for moduleDeserialize (Module.deserializeTrustedFile's Javadoc: a trusted file
        // that does not change while mapped); Wasmtime checks its header, version and settings.
        let module = unsafe { Module::deserialize_file(&engine.engine, &path) }
            .map_err(|e| Error::compile(format!("cannot load the precompiled module: {e:#}")))?;
        Ok(handle::into_handle(ModuleBox { module }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_Native_moduleFree<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    module: jlong,
) {
    entry(&mut env, |_env| {
        // SAFETY: Java frees each handle once, after its last use.
        unsafe { handle::free::<ModuleBox>(module) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_are_a_compile_error() {
        let engine = wasmtime::Engine::default();
        let err = compile(&engine, b"\0asm\x01\0\0\0\x01").err();
        assert!(matches!(err, Some(Error::Compile(..))));
    }

    #[test]
    fn text_is_refused_by_the_binary_entry() {
        let engine = wasmtime::Engine::default();
        assert!(matches!(
            compile(&engine, b"(module)"),
            Err(Error::Compile(..))
        ));
    }

    #[test]
    fn wat_errors_name_line_and_column() {
        match wat_to_binary("(module\n  (fnc))") {
            Err(Error::Compile(m, _)) => {
                assert!(m.contains("invalid WAT") && m.contains(":2:"), "{m}")
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn ill_typed_wat_parses_but_fails_validation() {
        let engine = wasmtime::Engine::default();
        let bytes = wat_to_binary("(module (func (result i32) (i32.add)))").unwrap();
        match compile(&engine, &bytes) {
            Err(Error::Compile(m, _)) => assert!(m.contains("type mismatch"), "{m}"),
            other => panic!("unexpected {:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn exports_are_encoded_with_names_and_kinds() {
        let engine = wasmtime::Engine::default();
        let bytes =
            wat_to_binary(r#"(module (memory (export "m") 1) (func (export "f")))"#).unwrap();
        let m = compile(&engine, &bytes).unwrap();
        let enc = exports(&m);
        assert_eq!(&enc[0..4], &2u32.to_le_bytes());
        assert_eq!(&enc[4..9], &[1, 0, 0, 0, b'm']);
        assert_eq!(enc[9], crate::types::KIND_MEMORY);
    }
}
