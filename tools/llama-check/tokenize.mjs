// Tokenizes text with the vocabulary of a GGUF, as llama.cpp does (no BOS/EOS added, special tokens not parsed):
//   node tokenize.mjs MODEL.gguf "some text"   ->   {"ids": [...]}
// Not: detokenization (llama.cpp prints user-defined tokens verbatim, so words come back without spaces).
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

const [modelPath, text] = process.argv.slice(2);
if (!modelPath || text === undefined) {
  console.error("usage: node tokenize.mjs MODEL.gguf TEXT");
  process.exit(2);
}
const llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath, vocabOnly: true });
console.log(JSON.stringify({ ids: Array.from(model.tokenize(text, false)) }));
await model.dispose();
