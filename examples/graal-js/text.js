// Runs in GraalJS; `wasm` is the exports of text.wat running on Wasmtime (bound by GraalJsExample.java).
// (title_case knows ASCII letters only: any other character, like the arrow, separates words.)
const text = 'hello from graal.js → running on wasmtime';
const memory = wasm.memory;

// Write the string into linear memory as UTF-8...
const address = wasm.alloc(text.length * 3);
const length = memory.writeString(address, text);

// ...let wasm process it in place...
const words = wasm.title_case(address, length);

// ...and read the result back.
const result = memory.readString(address, length);
console.log(`${words} words, ${length} bytes at ${address}: ${result}`);

// Single bytes too: memory is an array of unsigned bytes.
console.log(`first byte: ${memory[address]} ('${String.fromCharCode(memory[address])}'), memory size: ${memory.length} bytes`);

// A trap is an error the script can catch.
try {
  memory.readString(memory.length - 4, 8);
} catch (e) {
  console.log(`caught: ${e.message}`);
}
