using DurableUn.Cli.Commands;
using DurableUn.Cli.Values;
using Spectre.Console;
using Spectre.Console.Cli;

namespace DurableUn.Cli;

/// <summary>
/// The composition root: every command the tool has, in the order a user meets them, and the typed number grammar
/// they share (<see cref="NumberConverters"/>). Program.cs runs it; the CLI tests build it with an interceptor that
/// stops after parsing and validation, to walk every option without doing any work.
/// </summary>
internal static class CommandTree
{
    public static CommandApp Create(Action<IConfigurator>? extra = null)
    {
        NumberConverters.Register();
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.SetApplicationName("durableun");
            c.PropagateExceptions();
            c.Settings.StrictParsing = true;            // an unknown option is a usage error, never silently ignored (`--sed 5`)
            c.Settings.Console = AnsiConsole.Console;   // help goes where every command writes (a test's console, when it swaps one in)
            c.SetHelpProvider(new ExitCodesHelp(c.Settings));
            c.AddCommand<InitCommand>("init").WithDescription("Write a freshly initialised preset model folder (config, weights, tokenizer).")
                .WithExample("init", "--preset", "tiny", "--seed", "0", "--out", "models/tiny");
            c.AddCommand<PretrainCommand>("pretrain").WithDescription("Pretrain a preset on general synthetic text (entities disjoint from the benchmarks), through the shared base cache.")
                .WithExample("pretrain", "--preset", "tiny", "--out", "models/tiny-base");
            c.AddCommand<InfoCommand>("info").WithDescription("Print a model folder's architecture, parameter count, vocabulary and dtype; validate every tensor.");
            c.AddCommand<GenerateCommand>("generate").WithDescription("Print a greedy (or sampled) continuation of a prompt.");
            c.AddCommand<LogitsCommand>("logits").WithDescription("Print the next token's top-k log-probabilities as JSON, dense or deployed at a precision.");
            c.AddCommand<QuantizeCommand>("quantize").WithDescription("Write a dense model folder as a bitsandbytes 4-bit (NF4/FP4) checkpoint.");
            c.AddBranch("export", export =>
            {
                export.SetDescription("Export a model for other runtimes.");
                export.AddCommand<ExportGgufCommand>("gguf").WithDescription("Write a llama.cpp GGUF (f32, f16, q8_0, q4_0), with a LoRA adapter merged exactly if given.");
            });
            c.AddCommand<FinetuneCommand>("finetune").WithDescription("Fine-tune a LoRA adapter on an NF4 base: the target (forget ∪ retain) or the retain model.");
            c.AddCommand<MethodsCommand>("methods").WithDescription("List every unlearning method with its options and defaults.");
            c.AddCommand<UnlearnCommand>("unlearn").WithDescription("Unlearn a dataset's forget split from a target adapter with one method and seed.");
            c.AddCommand<CalibrateCommand>("calibrate").WithDescription("Only a study's preparation: print each method's bf16 ladder and the weakest setting with FA_bf16 ≤ ε_audit. Never looks at INT4.")
                .WithExample("calibrate", "--preset", "smoke", "--out", "runs/calibrate", "--methods", "ga,saf");
            c.AddCommand<StudyCommand>("study").WithDescription("The main job: every method × dataset × seed × precision, certificates and the report (resumable, shardable).")
                .WithExample("study", "--preset", "tiny", "--out", "runs/tiny");
            c.AddCommand<SweepCommand>("sweep").WithDescription("One method over a grid or random search of its options: Pareto front over (FA, RA, Q-INT4) and the phase-transition test (resumable, shardable).")
                .WithExample("sweep", "--preset", "tiny", "--method", "npo-gdr", "--dataset", "tofu", "--grid", "lr=1e-4,1e-3", "--grid", "steps=5,20", "--out", "runs/sweep");
            c.AddCommand<ReportCommand>("report").WithDescription("Merge whatever cells have finished into results.json, certificates and report.md/.html.");
            c.AddCommand<CertifyCommand>("certify").WithDescription("Write an (ε, P)-durability certificate for unlearned runs (one per seed), or --verify one: recompute hashes and FA.")
                .WithExample("certify", "runs/u0", "runs/u1", "--epsilon", "0.05", "--out", "certificate.json")
                .WithExample("certify", "--verify", "runs/tiny/certificates/tofu__saf__calibrated.json");
            c.AddCommand<AuditCommand>("audit").WithDescription("Quantization recovery audit of a third-party base + PEFT adapter, with the items that come back.");
            c.AddBranch("data", data =>
            {
                data.SetDescription("Benchmark datasets: make synthetic ones, show any.");
                data.AddCommand<DataMakeCommand>("make").WithDescription("Write a synthetic TOFU-, MUSE- or WPU-like dataset folder in the real layout.");
                data.AddCommand<DataShowCommand>("show").WithDescription("Print a dataset folder's splits, counts, examples and token statistics.");
            });
            extra?.Invoke(c);
        });
        return app;
    }
}
