// hld's WebAssembly module (crates/wasm) behind one function: `call(request)` sends a
// JSON request and returns the parsed JSON answer. Plain exports, no generated glue;
// the page's worker and the Node test both use this file.
export async function load(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const wasm = instance.exports;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return function call(request) {
    const input = encoder.encode(JSON.stringify(request));
    const pointer = wasm.hld_alloc(input.length);
    new Uint8Array(wasm.memory.buffer, pointer, input.length).set(input);
    const answer = wasm.hld_call(pointer, input.length);
    const bytes = new Uint8Array(wasm.memory.buffer, answer, wasm.hld_result_len());
    return JSON.parse(decoder.decode(bytes));
  };
}
