using System.Diagnostics;
using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.Evaluation;
using DurableUn.Experiments.Preparation;
using DurableUn.Experiments.Specs;
using DurableUn.Experiments.Studies;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;

namespace DurableUn.Bench;

/// <summary>Where one study cell's time goes, on a prepared study folder: unlearning, measuring, suites, shifts.</summary>
internal static class CellProfile
{
    public static void Run(string studyDir, string dataset, string method, double lr, int steps)
    {
        var layout = new PreparedLayout(Path.GetFullPath(studyDir));
        var spec = JsonFile.Read<StudySpec>(new StudyLayout(layout.Root).Spec, JsonDefaults.Options);   // measured as that study measures
        var kind = DatasetNames.Parse(dataset);
        var entry = MethodCatalog.Find(method);
        var watch = Stopwatch.StartNew();
        double Lap() { var s = watch.Elapsed.TotalSeconds; watch.Restart(); return s; }
        using var session = new DatasetSession(layout, spec.Preparation, kind, spec.Metric, spec.Precisions, spec.RetainEvalItems, spec.SuitePrecisions);
        Console.WriteLine($"session load     {Lap():F2} s");
        for (var rep = 0; rep < 2; rep++)
        {
            var result = UnlearnRun.Execute(session.Target.Model, entry, entry.Defaults().WithSchedule(lr, steps, spec.BatchSize), session.Task, session.Encoder, seed: 0);
            Console.WriteLine($"unlearn {steps} steps {Lap():F2} s");
            foreach (var p in spec.Precisions)
            {
                PrecisionEvaluation.Measure(result.Model, [p], session.Metric, session.Encoder, session.Task.Forget, session.Task.RetainEval);
                Console.WriteLine($"measure {p.Name,-6}   {Lap():F2} s");
            }
            session.Audit(result.Model);
            Console.WriteLine($"audit bf16       {Lap():F2} s");
            session.Suites(result.Model);
            Console.WriteLine($"suites           {Lap():F2} s");
            if (kind == DatasetKind.Tofu)
            {
                using var dep = Deployer.Deploy(result.Model, Precision.Bf16);
                var tofu = new TofuOptions();
                var splits = TofuSplits.From(session.Data, tofu.ForgetPercent);
                IReadOnlyList<PerturbedQaItem>[] items = [splits.Forget, splits.Retain, splits.RealAuthors, splits.WorldFacts];
                var ans = SuiteScoring.GreedyAnswers(dep.Model, session.Encoder, items.Select(x => (IReadOnlyList<string>)x.Select(i => i.Question).ToList()).ToList(), tofu.MaxNewTokens, tofu.GenerationBatchSize);
                Console.WriteLine($"  tofu suite generation of {items.Sum(x => x.Count)} answers {Lap():F2} s, answer tokens {ans.SelectMany(a => a).Sum(a => session.Encoder.Tokenizer.Encode(a).Count)}");
            }
            foreach (var p in spec.Precisions) QuantizationShifts.Measure(session.Target.Model, result.Model, p);
            Console.WriteLine($"shifts           {Lap():F2} s");
            result.Model.Dispose();
        }
    }
}
