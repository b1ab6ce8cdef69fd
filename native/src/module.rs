//! `Module`: compiled wasm code, shared by every thread.

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::jlong;
use jni::EnvUnowned;
use wasmtime::Module;

use crate::engine::EngineBox;
use crate::error::{Error, Result};
use crate::ffi::entry;
use crate::handle::{self, Tagged};
use crate::types::Encoder;

pub struct ModuleBox {
    pub module: Module,
}

impl Tagged for ModuleBox {
    const TAG: u32 = 0x5701_0002;
    const NAME: &'static str = "Module";
}

fn compile_error(e: wasmtime::Error) -> Error {
    Error::Compile(format!("{e:#}"))
}

/// Compiles a binary module (text is refused here; `fromWat` is the text entry).
pub fn compile(engine: &wasmtime::Engine, bytes: &[u8]) -> Result<Module> {
    Module::from_binary(engine, bytes).map_err(compile_error)
}

/// Parses WAT text to binary with the `wat` crate, with its line and column in the message.
pub fn wat_to_binary(text: &str) -> Result<Vec<u8>> {
    wat::parse_str(text).map_err(|e| Error::Compile(format!("invalid WAT: {e}")))
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
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleNew<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleFromWat<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    text: JString<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let text = text.try_to_string(env)?;
        let module = compile(&engine.engine, &wat_to_binary(&text)?)?;
        Ok(handle::into_handle(ModuleBox { module }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_watToBinary<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleValidate<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        Module::validate(&engine.engine, &bytes).map_err(compile_error)
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleImports<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleExports<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleName<'l>(
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
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleSerialize<'l>(
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

/// Loads a precompiled module (`Module.deserialize`). Only bytes that `serialize` produced (a
/// trusted source) may be given: Wasmtime checks the format, version and engine settings, but
/// not the machine code itself.
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleDeserialize<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    engine: jlong,
    bytes: JByteArray<'l>,
) -> jlong {
    entry(&mut env, |env| {
        // SAFETY: Java passes a live engine handle (Handle.acquire).
        let engine = unsafe { handle::get::<EngineBox>(engine) }?;
        let bytes = env.convert_byte_array(&bytes)?;
        if wasmtime::Engine::detect_precompiled(&bytes).is_none() {
            return Err(Error::Compile(
                "not a precompiled Wasmtime module (use Module.fromBytes for .wasm files)".into(),
            ));
        }
        // SAFETY: the API contract (Module.deserialize's Javadoc) requires bytes from a trusted
        // `serialize`; Wasmtime verifies the header, its version and the engine configuration.
        let module = unsafe { Module::deserialize(&engine.engine, &bytes) }
            .map_err(|e| Error::Compile(format!("cannot load the precompiled module: {e:#}")))?;
        Ok(handle::into_handle(ModuleBox { module }))
    })
}

#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_internal_Native_moduleFree<'l>(
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
        assert!(matches!(err, Some(Error::Compile(_))));
    }

    #[test]
    fn text_is_refused_by_the_binary_entry() {
        let engine = wasmtime::Engine::default();
        assert!(matches!(
            compile(&engine, b"(module)"),
            Err(Error::Compile(_))
        ));
    }

    #[test]
    fn wat_errors_name_line_and_column() {
        match wat_to_binary("(module\n  (fnc))") {
            Err(Error::Compile(m)) => {
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
            Err(Error::Compile(m)) => assert!(m.contains("type mismatch"), "{m}"),
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
