using DurableUn.Bench;
using DurableUn.Tensors;

// Benchmarks: each one checks its fast path against a reference before it times anything.
//   train [steps] [warmup] [threads]   training throughput of the reference configuration
NativeTorch.EnsureLoaded();
var what = args.FirstOrDefault() ?? "train";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
switch (what)
{
    case "train":
        TrainThroughput.Run(steps: Arg(1, 20), warmup: Arg(2, 3), threads: Arg(3, 0));
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{what}'. Known: train");
        return 2;
}
return 0;
