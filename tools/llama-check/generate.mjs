// Single-stream greedy decoding speed of llama.cpp (node-llama-cpp's prebuilt CPU binaries) on a GGUF:
//   node generate.mjs MODEL.gguf ID,ID,... MAX_NEW THREADS   ->   {"threads": T, "tokens": N, "seconds": S, "tokens_per_s": R, "ids": [...]}
// The prompt goes in as ids (no tokenizer), decoding is greedy (temperature 0) and ignores end-of-generation tokens
// so every run decodes exactly MAX_NEW tokens. Timed: prompt evaluation plus every decode step, as `durableun
// generate` is. The context is sized to the prompt + MAX_NEW with an F32 KV cache, as logits.mjs.
// Not: batching, sampling, GPU.
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, idList, maxNewText, threadsText] = process.argv.slice(2);
if (!modelPath || !idList || !maxNewText || !threadsText) {
  console.error("usage: node generate.mjs MODEL.gguf ID,ID,... MAX_NEW THREADS");
  process.exit(2);
}
const ids = idList.split(",").map(Number);
const maxNew = Number(maxNewText);
const threads = Number(threadsText);

const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error, maxThreads: threads });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const size = ids.length + maxNew + 1;
const context = await model.createContext({
  contextSize: size, batchSize: size, threads: { ideal: threads, min: threads },
  flashAttention: false, experimentalKvCacheKeyType: "F32", experimentalKvCacheValueType: "F32",
});
const sequence = context.getSequence();
const out = [];
const start = process.hrtime.bigint();
for await (const token of sequence.evaluate(ids, { temperature: 0 })) {
  out.push(token);
  if (out.length >= maxNew) break;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ threads, tokens: out.length, seconds, tokens_per_s: out.length / seconds, ids: out }));
await context.dispose();
await model.dispose();
