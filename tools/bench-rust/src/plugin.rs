//! The plugin call from Rust (the floor of the JMH class `PluginCall`): the same operation as each JMH
//! row, with Wasmtime's typed functions. Per call: the input `&str`'s UTF-8 bytes into the guest
//! (`alloc`, `Memory::write`), `transform(ptr, len) -> i64`, the result's bytes read into a new
//! `Vec<u8>` and made a `String` (`String::from_utf8`, as `new String(.., UTF_8)` validates), `dealloc`
//! of both buffers. Result names: `plugin.100`, `plugin.10240` (the input's size in bytes).
//!
//! The inputs are built as `PluginJson.input(size)` builds them on the Java side (the same bytes).

use std::hint::black_box;
use std::path::Path;

use wasmtime::{Engine, Linker, Memory, Store, TypedFunc};

use crate::{load, Bench};

/// The input sizes of the JMH benchmark (`PluginJson.SIZES`).
const SIZES: [usize; 2] = [100, 10240];

const PREFIX: &str = "{\"id\":123,\"user\":\"Zo\u{e9} \\\"Z\\\" <z&co>\",\"note\":\"";
const SUFFIX: &str = "\",\"tags\":[\"a\",\"b\"]}";
const NOTE_PIECES: [&str; 10] = [
    "caf\u{e9} ",
    "\\u00e9t\\u00e9 ",
    "5<6 & 7>2 ",
    "\\\"q\\\" ",
    "\u{20ac}10 ",
    "\\ud83d\\ude00 ",
    "\u{1f600} ",
    "line\\nbreak ",
    "it's ",
    "a\\/b\\tc\\\\d\\r\\b\\f ",
];

/// The JSON input of `size` UTF-8 bytes (`PluginJson.input` in Java).
pub fn input(size: usize) -> String {
    let fixed = PREFIX.len() + SUFFIX.len();
    assert!(size >= fixed, "size {size} < {fixed}");
    let mut s = String::with_capacity(size);
    s.push_str(PREFIX);
    let mut left = size - fixed;
    for piece in NOTE_PIECES.iter().cycle() {
        if piece.len() > left {
            break;
        }
        s.push_str(piece);
        left -= piece.len();
    }
    for i in 0..left {
        s.push((b'a' + (i % 26) as u8) as char);
    }
    s.push_str(SUFFIX);
    s
}

/// The plugin module's exports.
struct Plugin {
    memory: Memory,
    alloc: TypedFunc<i32, i32>,
    dealloc: TypedFunc<(i32, i32), ()>,
    transform: TypedFunc<(i32, i32), i64>,
}

impl Plugin {
    /// The plugin call: a new `String` with the guest's result.
    fn call(&self, store: &mut Store<()>, json: &str) -> String {
        let bytes = json.as_bytes();
        let len = bytes.len() as i32;
        let ptr = self.alloc.call(&mut *store, len).unwrap();
        assert_ne!(ptr, 0, "guest out of memory");
        self.memory
            .write(&mut *store, ptr as u32 as usize, bytes)
            .unwrap();
        let r = self.transform.call(&mut *store, (ptr, len)).unwrap();
        self.dealloc.call(&mut *store, (ptr, len)).unwrap();
        let out_ptr = (r as u64 >> 32) as u32;
        let out_len = r as u32;
        assert_ne!(out_ptr, 0, "plugin error {out_len}");
        let mut out = vec![0u8; out_len as usize];
        self.memory
            .read(&*store, out_ptr as usize, &mut out)
            .unwrap();
        self.dealloc
            .call(&mut *store, (out_ptr as i32, out_len as i32))
            .unwrap();
        String::from_utf8(out).expect("UTF-8 result")
    }
}

/// Times the plugin call at each size.
pub fn run(bench: &mut Bench, engine: &Engine, dir: &Path) {
    if !SIZES.iter().any(|s| bench.selected(&format!("plugin.{s}"))) {
        return;
    }
    let module = load(engine, dir, "plugin");
    let mut store = Store::new(engine, ());
    let i = Linker::new(engine)
        .instantiate(&mut store, &module)
        .unwrap();
    let p = Plugin {
        memory: i.get_memory(&mut store, "memory").unwrap(),
        alloc: i.get_typed_func(&mut store, "alloc").unwrap(),
        dealloc: i.get_typed_func(&mut store, "dealloc").unwrap(),
        transform: i.get_typed_func(&mut store, "transform").unwrap(),
    };
    for size in SIZES {
        let json = input(size);
        assert_eq!(json.len(), size);
        let out = p.call(&mut store, &json);
        assert!(out.starts_with(
            "<p>Dear Zo\u{e9} &quot;Z&quot; &lt;z&amp;co&gt;, caf\u{e9} \u{e9}t\u{e9} 5&lt;6"
        ));
        assert!(out.ends_with("</p>"));
        let pages = p.memory.size(&store);
        bench.run(&format!("plugin.{size}"), 1, || {
            black_box(p.call(&mut store, black_box(&json)));
        });
        assert_eq!(p.memory.size(&store), pages, "the guest's memory grew");
    }
}
