using DurableUn.Data;
using DurableUn.Data.Tokenized;
using DurableUn.Deployment;
using DurableUn.LlamaCpp;

namespace DurableUn.Evaluation;

/// <summary>What a GGUF deployment was, recorded beside its measurement: the file type, each ggml type's tensor
/// count, and the tensors llama.cpp stored in a fallback type.</summary>
public sealed record GgufDeploymentInfo(LlamaFileType FileType, IReadOnlyDictionary<string, int> TensorTypes, IReadOnlyList<TensorFallback> Fallbacks)
{
    public static GgufDeploymentInfo Of(QuantizedGguf file) => new(
        file.Type,
        file.TensorTypes.Values.GroupBy(t => t.ToString().ToLowerInvariant()).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        file.Fallbacks);
}

/// <summary>
/// Measures a GGUF precision the way <see cref="PrecisionEvaluation"/> measures ours: deploy (<see cref="GgufDeployment"/>:
/// f32 GGUF by our exporter, llama.cpp's quantizer), then FA and RA under the metric, token accuracy beside a
/// generated metric, and the answer probabilities, all from llama.cpp's engine on the file
/// (<see cref="LlamaCppQaAccuracy"/>), with the encoder's template and BOS rule over the file's own tokenizer.
/// The files live in a scratch folder deleted afterwards.
/// </summary>
public static class GgufEvaluation
{
    public static PrecisionMeasurement Measure(FullPrecisionModel model, Precision precision, AccuracyMetric metric, PromptTemplate template,
                                               IReadOnlyList<QaItem> forget, IReadOnlyList<QaItem> retain, LlamaCppSettings? settings = null)
    {
        var type = precision.Gguf ?? throw new ArgumentException($"{precision} is not a GGUF precision");
        var scratch = Directory.CreateTempSubdirectory("durableun-gguf-").FullName;
        try
        {
            var file = GgufDeployment.Build(model, type, scratch);
            using var engine = LlamaCppModel.Load(file.Path);
            var encoder = new QaEncoder(new LlamaCppTokenizer(engine), template);
            var measured = LlamaCppQaAccuracy.Measure(engine, encoder, [forget, retain], metric, settings: settings);
            var secondary = new Dictionary<string, double>(StringComparer.Ordinal);
            if (metric != AccuracyMetric.TokenAccuracy)
            {
                var name = AccuracyMetric.TokenAccuracy.Name();
                (secondary[$"{name}_fa"], secondary[$"{name}_ra"]) = (measured[0].TokenAccuracy.Aggregate, measured[1].TokenAccuracy.Aggregate);
            }
            return new PrecisionMeasurement(precision, measured[0].Score, measured[1].Score)
            {
                Secondary = secondary,
                ForgetProbability = measured[0].Probability, RetainProbability = measured[1].Probability,
                ForgetRouge = measured[0].Rouge, RetainRouge = measured[1].Rouge,
                Gguf = GgufDeploymentInfo.Of(file),
            };
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
