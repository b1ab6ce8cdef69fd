//! `dev.wasmbridge.bindgen.JavaBindgen` behind JNI: the one native method of the WIT-to-Java generator
//! (`wasmbridge-bindgen`), in a library of its own so that neither the runtime library carries the
//! generator nor a build that generates sources loads Wasmtime.
//!
//! Every failure leaves here as a Java `IllegalArgumentException` ([`ThrowIllegalArgument`]): the
//! generator's messages (about the WIT or the Java package), a panic of the generator, and a failing
//! JNI call alike; a Java exception already pending (an `OutOfMemoryError`, say) is left as it is.

use std::any::Any;
use std::path::Path;

use jni::errors::ErrorPolicy;
use jni::objects::{JClass, JObject, JObjectArray, JString};
use jni::strings::JNIString;
use jni::{jni_str, Env, EnvUnowned};

/// How much stack the generator may use: wit-parser recurses along the WIT's type nesting, which a
/// valid but hostile input makes deeper than a Java thread's stack. Only the pages used are committed.
const WIT_STACK: usize = 256 << 20;

/// A failure on the way to Java: the generator's message, or a JNI call that failed.
enum Failure {
    Generator(String),
    Jni(jni::errors::Error),
}

impl From<jni::errors::Error> for Failure {
    fn from(e: jni::errors::Error) -> Failure {
        Failure::Jni(e)
    }
}

/// The error policy of [`Java_dev_wasmbridge_bindgen_JavaBindgen_generate0`]: every failure and
/// every panic becomes an `IllegalArgumentException`, unless a Java exception is pending already.
struct ThrowIllegalArgument;

impl ThrowIllegalArgument {
    fn throw(env: &mut Env<'_>, message: &str) {
        if !env.exception_check() {
            let _ = env.throw_new(
                jni_str!("java/lang/IllegalArgumentException"),
                JNIString::new(message),
            );
        }
    }
}

impl<T: Default> ErrorPolicy<T, Failure> for ThrowIllegalArgument {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        err: Failure,
    ) -> jni::errors::Result<T> {
        let message = match err {
            Failure::Generator(m) => m,
            Failure::Jni(e) => format!("cannot pass the generated sources to Java: {e}"),
        };
        Self::throw(env, &message);
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _cap: &mut (),
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        Self::throw(env, &failed(payload));
        Ok(T::default())
    }
}

/// The message for a panic of the generator (a bug of the generator, not of the input).
fn failed(payload: Box<dyn Any + Send + 'static>) -> String {
    let what = if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "no message".to_owned()
    };
    // Dropping an arbitrary payload could itself panic; a leaked box is harmless here.
    std::mem::forget(payload);
    format!("the Java bindings generator failed on this WIT (a wasmbridge bug): {what}")
}

/// `JavaBindgen.generate0(path, world, javaPackage)`: the generated files as an array of path,
/// source, path, source, ...
#[unsafe(no_mangle)]
pub extern "system" fn Java_dev_wasmbridge_bindgen_JavaBindgen_generate0<'l>(
    mut env: EnvUnowned<'l>,
    _class: JClass<'l>,
    path: JString<'l>,
    world: JString<'l>,
    java_package: JString<'l>,
) -> JObject<'l> {
    env.with_env(|env| -> Result<JObject<'l>, Failure> {
        let path = path.try_to_string(env)?;
        let world = if world.is_null() {
            None
        } else {
            Some(world.try_to_string(env)?)
        };
        let java_package = java_package.try_to_string(env)?;
        let files = on_wit_thread(|| {
            wasmbridge_bindgen::generate(Path::new(&path), world.as_deref(), &java_package)
        })?;
        let out = JObjectArray::<JString>::new(env, files.len() * 2, JString::null())?;
        for (i, (file, source)) in files.iter().enumerate() {
            // Two local references per file, let go at once: a world may make hundreds of files.
            for (j, text) in [file, source].into_iter().enumerate() {
                let s = JString::from_str(env, text)?;
                out.set_element(env, i * 2 + j, &s)?;
                env.delete_local_ref(s);
            }
        }
        Ok(JObject::from(out))
    })
    .resolve::<ThrowIllegalArgument>()
}

/// Runs the generator on a thread with a [`WIT_STACK`] stack, whatever the calling Java thread's.
fn on_wit_thread<T: Send>(
    f: impl FnOnce() -> wasmbridge_bindgen::GenResult<T> + Send,
) -> Result<T, Failure> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("wasmbridge-bindgen".into())
            .stack_size(WIT_STACK)
            .spawn_scoped(scope, f)
            .map_err(|e| Failure::Generator(format!("cannot start the WIT reader: {e}")))?
            .join()
            .map_err(|payload| Failure::Generator(failed(payload)))?
            .map_err(Failure::Generator)
    })
}
