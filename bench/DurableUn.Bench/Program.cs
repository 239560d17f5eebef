using DurableUn.Bench;
using DurableUn.Tensors;

// Benchmarks: each one checks its fast path against a reference before it times anything.
//   train [steps] [warmup] [threads]   training throughput of the reference configuration
//   qlora [steps] [warmup] [threads]   one QLoRA (NF4 base) training step against the same LoRA on an fp32 base
//   generate DIR IDS [new] [threads]   decode speed (dense, deployed nf4, batched) and a decode-step profile
//   cell STUDY DATASET METHOD LR STEPS [threads]   where one study cell's time goes
//   revert-flips STUDY|SWEEP [precision] [threads]  FA at int4 with the flipped codes undone, and with only them (no timing)
//   regime-table WORK_DIR              the regime map's tables from bench/regime_map.sh's folders (reads only; no timing)
//   extrapolation WORK_DIR [OUT_DIR] [METHODS]   codes moved by the smallest audit-passing update against parameter
//                                      count, per pipeline, beside the published 4-bit recovery at 1B and 8B (reads only;
//                                      METHODS, e.g. ga,graddiff, keeps only those methods' rows)
//   gguf-measure DIR ADAPTER|- FORGET RETAIN [gguf-TYPE]   items/s of a GGUF precision's measurement against int4's
//   gguf-decode DIR [prompt] [new] [threads]   llama.cpp's decode of the folder's q4_k_m file against our dense decode
NativeTorch.EnsureLoaded();
var what = args.FirstOrDefault() ?? "train";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
switch (what)
{
    case "train":
        TrainThroughput.Run(steps: Arg(1, 20), warmup: Arg(2, 3), threads: Arg(3, 0));
        break;
    case "qlora":
        using (IntraOpThreads.Use(Arg(3, 1))) QLoraBench.Run(steps: Arg(1, 5), warmup: Arg(2, 1));
        break;
    case "generate" when args.Length >= 3:
        GenerateBench.Run(args[1], args[2].Split(',').Select(int.Parse).ToList(), newTokens: Arg(3, 128), threads: Arg(4, 1));
        break;
    case "cell" when args.Length >= 6:
        using (IntraOpThreads.Use(Arg(6, 2))) CellProfile.Run(args[1], args[2], args[3], double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture), Arg(5, 10));
        break;
    case "revert-flips" when args.Length >= 2:
        using (IntraOpThreads.Use(Arg(3, 2))) RevertFlips.Run(args[1], args.Length > 2 ? args[2] : "int4");
        break;
    case "regime-table" when args.Length >= 2:
        RegimeTable.Run(args[1]);
        break;
    case "extrapolation" when args.Length >= 2:
        Extrapolation.Run(args[1], args.Length > 2 ? args[2] : args[1], args.Length > 3 ? args[3].Split(',').ToHashSet(StringComparer.Ordinal) : null);
        break;
    case "gguf-measure" when args.Length >= 5:
        GgufBench.Measure(args[1], args[2] == "-" ? null : args[2], args[3], args[4], args.Length > 5 ? args[5] : "gguf-q4_k_m");
        break;
    case "gguf-decode" when args.Length >= 2:
        GgufBench.Decode(args[1], args.Length > 2 ? args[2] : "Question: Where was the author born?\nAnswer: ", newTokens: Arg(3, 128), threads: Arg(4, 1));
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark or missing arguments '{string.Join(' ', args)}'. Known: train, qlora, generate DIR IDS, cell STUDY DATASET METHOD LR STEPS, revert-flips STUDY|SWEEP [precision], regime-table WORK_DIR, extrapolation WORK_DIR [OUT_DIR] [METHODS], gguf-measure DIR ADAPTER|- FORGET RETAIN [gguf-TYPE], gguf-decode DIR [prompt] [new] [threads]");
        return 2;
}
return 0;
