using System.Reflection;
using DurableUn.Cli;
using DurableUn.Cli.Commands;
using DurableUn.Cli.Values;
using DurableUn.Pipelines;
using Spectre.Console.Cli;

namespace DurableUn.Tests.Cli;

/// <summary>
/// The command line's one error policy, checked on every option: a value that does not parse or is out of range is a
/// usage error (exit 2) in one line naming the option and the value in the product's words, found while parsing,
/// before any command starts (<see cref="CliRunner.Parse"/> stops there, so nothing is loaded or written).
/// </summary>
public sealed class OptionValueTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    /// <summary>Every command as a user types it with its required arguments (paths that do not exist: parsing never
    /// reaches them). A new command is one line here; <see cref="Every_Command_Is_Walked"/> fails until it is added.</summary>
    private static readonly (Type Settings, string[] Args)[] Commands =
    [
        (typeof(InitCommand.Settings), ["init", "--preset", "smoke", "--out", "/nonexistent/out"]),
        (typeof(PretrainCommand.Settings), ["pretrain", "--preset", "smoke", "--out", "/nonexistent/out"]),
        (typeof(InfoCommand.Settings), ["info", "/nonexistent/model"]),
        (typeof(GenerateCommand.Settings), ["generate", "/nonexistent/model", "--prompt", "hi"]),
        (typeof(LogitsCommand.Settings), ["logits", "/nonexistent/model", "--prompt", "hi"]),
        (typeof(QuantizeCommand.Settings), ["quantize", "/nonexistent/model", "--format", "nf4", "--out", "/nonexistent/out"]),
        (typeof(ExportGgufCommand.Settings), ["export", "gguf", "/nonexistent/model", "--type", "f32", "--out", "/nonexistent/out.gguf"]),
        (typeof(FinetuneCommand.Settings), ["finetune", "--model", "/nonexistent/m", "--data", "/nonexistent/d", "--out", "/nonexistent/out"]),
        (typeof(UnlearnCommand.Settings), ["unlearn", "--model", "/nonexistent/m", "--adapter", "/nonexistent/a", "--data", "/nonexistent/d", "--method", "ga", "--out", "/nonexistent/out"]),
        (typeof(CalibrateCommand.Settings), ["calibrate", "--preset", "smoke", "--out", "/nonexistent/out"]),
        (typeof(StudyCommand.Settings), ["study", "--preset", "smoke", "--out", "/nonexistent/out"]),
        (typeof(SweepCommand.Settings), ["sweep", "--preset", "smoke", "--method", "ga", "--grid", "lr=1e-3", "--out", "/nonexistent/out"]),
        (typeof(ReportCommand.Settings), ["report", "/nonexistent/study"]),
        (typeof(CertifyCommand.Settings), ["certify", "/nonexistent/run", "--epsilon", "0.1"]),
        (typeof(AuditCommand.Settings), ["audit", "--base", "/nonexistent/b", "--adapter", "/nonexistent/a", "--forget", "/nonexistent/f", "--retain", "/nonexistent/r"]),
        (typeof(DataMakeCommand.Settings), ["data", "make", "--dataset", "tofu", "--out", "/nonexistent/out"]),
        (typeof(DataShowCommand.Settings), ["data", "show", "/nonexistent/data"]),
    ];

    private static readonly Type[] NumberTypes = [typeof(int), typeof(long), typeof(ulong), typeof(double)];

    public static TheoryData<string, string, string> NumericOptions()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (settings, args) in Commands)
            foreach (var option in Options(settings).Where(o => NumberTypes.Contains(Underlying(o.Property.PropertyType))))
                foreach (var value in new[] { "abc", "inf", "nan", "-1" })
                    data.Add(string.Join(' ', args), option.Name, value);
        return data;
    }

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public void A_Numeric_Option_Refuses_A_Non_Number_Infinity_NaN_And_A_Negative_Naming_The_Option(string command, string option, string value)
    {
        // When a numeric option gets a value that is not a non-negative finite number
        var result = CliRunner.Parse([.. command.Split(' '), option, value]);
        // Then it is a usage error naming the option and the value, in the product's words
        var line = BadInputTests.OneLine(result, CliErrors.Usage, option, value);
        Assert.DoesNotMatch(@"Nullable|Int32|Int64|UInt64|Double|System\.|`1", line);
    }

    [Fact]
    public void Every_Command_Is_Walked()
    {
        var settings = typeof(CliErrors).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(CommandSettings)) && !t.IsAbstract && t.DeclaringType is not null).ToHashSet();
        Assert.Equal(settings.OrderBy(t => t.FullName), Commands.Select(c => c.Settings).OrderBy(t => t.FullName));
    }

    [Fact]
    public void Every_Command_Line_Of_The_Table_Parses_As_Given()
    {
        // The walk above means something only if the base command lines are valid: each stops just before running
        foreach (var (_, args) in Commands)
            Assert.True(CliRunner.Parse(args).ExitCode == CliRunner.WouldRun, $"durableun {string.Join(' ', args)}: {CliRunner.Parse(args).Output}");
    }

    [Theory]
    [InlineData("study", "--preset", "smoke", "--precisions", "int4:g7", "--out", "/nonexistent/out")]
    [InlineData("generate", "MODEL", "--prompt", "hi", "--precision", "int4:g7")]
    [InlineData("logits", "MODEL", "--prompt", "hi", "--precision", "int4:g7")]
    public void A_Precision_Whose_Group_Does_Not_Fit_The_Model_Is_The_Same_Usage_Error_Everywhere(params string[] args)
    {
        // Given the smoke model (hidden 64, intermediate 192), which no group of 7 divides
        // When a command is asked for int4:g7 / Then one line, exit 2, naming the precision and the widths
        var result = CliRunner.Parse(args.Select(a => a == "MODEL" ? fixture.ModelDir : a).ToArray());
        BadInputTests.OneLine(result, CliErrors.Usage, "int4:g7", "hidden_size 64");
    }

    [Theory]
    [InlineData("--precisions", "bf16,int5")]
    [InlineData("--precisions", ",")]
    [InlineData("--seeds", "0,x")]
    [InlineData("--seeds", "1,1")]
    [InlineData("--metric", "bleu")]
    [InlineData("--shard", "2/2")]
    [InlineData("--shard", "x")]
    [InlineData("--methods", "ga,no-such-method")]
    [InlineData("--datasets", "tofu,imdb")]
    [InlineData("--epsilon", "2")]
    [InlineData("--audit-epsilon", "1.5")]
    [InlineData("--preset", "huge")]
    [InlineData("--base", "cached")]
    [InlineData("--pipeline", "lora")]
    [InlineData("--precisions", "bf16,model-fp4:dq")]
    [InlineData("--precisions", "bf16,model-int4:g7")]
    [InlineData("--precisions", "bf16,model-int8:tx")]
    [InlineData("--precisions", "bf16,gguf-q3_x")]
    [InlineData("--precisions", "bf16,gguf-q8_0:g32")]
    public void A_Bad_Study_Value_Is_A_Usage_Error_Naming_It(string option, string value)
    {
        var result = CliRunner.Parse("study", "--preset", "smoke", option, value, "--out", "/nonexistent/out");
        BadInputTests.OneLine(result, CliErrors.Usage, value.Split(',')[^1] is "" ? option : value.Split(',')[^1].Split('/')[0]);
    }

    [Theory]
    [InlineData("--set", "steps=0")]
    [InlineData("--set", "lr=fast")]
    [InlineData("--set", "no_such_key=1")]
    [InlineData("--template", "chatml")]
    public void Unlearn_Refuses_A_Bad_Setting_While_Parsing(string option, string value)
    {
        string[] args = ["unlearn", "--model", "/nonexistent/m", "--adapter", "/nonexistent/a", "--data", "/nonexistent/d", "--method", "ga", "--out", "/nonexistent/out", option, value];
        var line = BadInputTests.OneLine(CliRunner.Parse(args), CliErrors.Usage, value.Split('=')[0]);
        Assert.DoesNotContain("Parameter '", line);
    }

    [Theory]
    [InlineData("full", "bf16,int4", "int4")]
    [InlineData("full", "bf16,merged-nf4", "merged-nf4")]
    public void A_Precision_The_Pipeline_Cannot_Deploy_Is_A_Usage_Error_Naming_It(string pipeline, string precisions, string named)
    {
        var result = CliRunner.Parse("study", "--preset", "smoke", "--pipeline", pipeline, "--precisions", precisions, "--out", "/nonexistent/out");
        var line = BadInputTests.OneLine(result, CliErrors.Usage, named);
        Assert.Contains("full pipeline", line);
    }

    [Fact]
    public void The_Pipeline_Converter_Names_The_Known_Pipelines()
    {
        Assert.Equal(Pipeline.FreshAdapter, new PipelineConverter().ConvertFromInvariantString("fresh-adapter"));
        var e = Assert.Throws<OptionValueException>(() => new PipelineConverter().ConvertFromInvariantString("lora"));
        Assert.Contains("adapter, fresh-adapter, full", e.Message);
    }

    [Fact]
    public void The_Help_Lists_The_Exit_Codes()
    {
        var help = CliRunner.Run("--help").Output;
        foreach (var code in new[] { CliErrors.BadInput, CliErrors.Usage, CliErrors.NotDurable, CliErrors.Internal, CliErrors.Cancelled })
            Assert.Matches($@"(?m)^\s*{code}\s+\S", help);
    }

    private static IEnumerable<(string Name, PropertyInfo Property)> Options(Type settings) =>
        settings.GetProperties().Select(p => (Attr: p.GetCustomAttribute<CommandOptionAttribute>(), Property: p))
            .Where(x => x.Attr is not null).Select(x => (x.Attr!.LongNames.Select(n => "--" + n).First(), x.Property));

    private static Type Underlying(Type t) => t.IsArray ? t.GetElementType()! : Nullable.GetUnderlyingType(t) ?? t;
}
