using DurableUn.Methods;
using DurableUn.Model;
using static TorchSharp.torch;

namespace DurableUn.Tests.Methods;

/// <summary>
/// Long runs must not die of the runtime: with the default (concurrent) collector and a thread forcing collections
/// and finalizers without pause, every method's training steps and greedy generation run to the end and give the
/// same numbers as a quiet run. A Scalar freed by its finalizer mid-call would crash here or corrupt a result (see
/// DurableUn.Tensors.ScalarOps and NoImplicitScalarTests for the cause this guards against).
/// </summary>
[Collection(TinyUnlearningCollection.Name)]
public sealed class FinalizerStressTests(TinyUnlearningSetup setup)
{
    [Fact]
    public void Every_Method_Trains_And_Generates_Identically_While_A_Thread_Forces_Collections()
    {
        var quiet = RunAll();
        List<float[]> stressed;
        using (new CollectionHammer()) stressed = RunAll();
        Assert.Equal(quiet.Count, stressed.Count);
        for (var i = 0; i < quiet.Count; i++) Assert.Equal(quiet[i], stressed[i]);
    }

    /// Per method: its final trainable weights (flattened) after a few steps, then the greedy tokens of its model.
    private List<float[]> RunAll()
    {
        var results = new List<float[]>();
        foreach (var entry in MethodCatalog.All)
        {
            var context = setup.Context(seed: 5);
            Unlearner.Run(context, entry.Build(["steps=3", "lr=5e-3", "batch_size=2"]).Method);
            using (no_grad())
            using (var flat = cat(context.Trainable.Select(p => p.detach().reshape(-1)).ToList(), 0))
                results.Add(flat.data<float>().ToArray());
            var prompts = setup.Data.Forget.Select(e => (IReadOnlyList<int>)e.PromptIds).ToList();
            var tokens = Generation.Generate(context.Model, prompts, setup.Data.PadId, new GenerationOptions { MaxNewTokens = 8 });
            results.Add(tokens.SelectMany(t => t).Select(t => (float)t).ToArray());
            context.Model.Dispose();
            context.Reference.Dispose();
        }
        return results;
    }

    /// A background thread that allocates, collects and runs finalizers as fast as it can until disposed.
    private sealed class CollectionHammer : IDisposable
    {
        private volatile bool _stop;
        private readonly Thread _thread;

        public CollectionHammer()
        {
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _ = new byte[4096];
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }
    }
}
