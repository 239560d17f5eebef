// Loads a GGUF with llama.cpp (the prebuilt CPU binaries node-llama-cpp ships in @node-llama-cpp/linux-x64),
// evaluates a token-id sequence and prints the next-token log-probabilities after the last id as JSON:
//   node logits.mjs MODEL.gguf 1,17,42,5   ->   {"vocab": V, "logprobs": [V numbers]}
// Ids go in directly, so llama.cpp's tokenizer plays no part. The context uses an F32 KV cache and no flash
// attention, the settings under which llama.cpp matches an exact reference to about 2e-6 (REFERENCE §i).
// Sampling is plain softmax: temperature 1 and every truncation (top-k, top-p, min-p) off.
// Not: generation, batching, GPU.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, idList] = process.argv.slice(2);
if (!modelPath || !idList) {
  console.error("usage: node logits.mjs MODEL.gguf ID,ID,...");
  process.exit(2);
}
const ids = idList.split(",").map(Number);

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const context = await model.createContext({
  contextSize: Math.max(32, ids.length + 1),
  batchSize: Math.max(32, ids.length + 1),
  flashAttention: false,
  experimentalKvCacheKeyType: "F32",
  experimentalKvCacheValueType: "F32",
});
const sequence = context.getSequence();
const input = ids.map((id, i) => i < ids.length - 1 ? id
  : [id, { generateNext: { probabilities: true, options: { temperature: 1, topK: 0, topP: 1, minP: 0 } } }]);
const results = await sequence.controlledEvaluate(input);
const probabilities = results[ids.length - 1]?.next?.probabilities;
if (!probabilities) {
  console.error("llama.cpp returned no probabilities for the last position");
  process.exit(1);
}
// Tokens llama.cpp leaves out of the map have probability 0 (log −∞, printed as null by JSON).
const n = model.fileInfo.metadata.llama?.vocab_size ?? Math.max(...probabilities.keys()) + 1;
const logprobs = Array.from({ length: n }, (_, id) => Math.log(probabilities.get(id) ?? 0));
console.log(JSON.stringify({ vocab: n, logprobs }));
await context.dispose();
await model.dispose();
