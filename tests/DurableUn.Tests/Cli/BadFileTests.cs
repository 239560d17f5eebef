using DurableUn.Cli;

namespace DurableUn.Tests.Cli;

/// <summary>
/// The generated bad-input suite over the files and folders each command reads: every case is one line, a command
/// with placeholders standing for a kind of bad input, and must end in one line with the exact exit code naming the
/// bad path, no stack trace, and no --out left behind. A new option or file kind (a GGUF handed to `audit --gguf`,
/// a pipeline's folder) is one more line here; option values are walked in <see cref="OptionValueTests"/>.
/// Placeholders: MODEL and ADAPTER are valid; FOLDER an empty folder, MISSING a path that does not exist, EMPTY an
/// empty file, GARBAGE a file of random bytes (each given the extension after a dot: GARBAGE.gguf), OUT a new path.
/// </summary>
public sealed class BadFileTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    public static TheoryData<string, int, string> Cases() => new()
    {
        // command line                                                                          exit code            the path named
        { "info FOLDER",                                                                          CliErrors.BadInput, "FOLDER" },
        { "info MISSING",                                                                         CliErrors.BadInput, "MISSING" },
        { "info GARBAGE",                                                                         CliErrors.BadInput, "GARBAGE" },
        { "generate MODEL --prompt hi --max-new-tokens 1 --adapter FOLDER",                       CliErrors.BadInput, "FOLDER" },
        { "logits MODEL --prompt hi --adapter MISSING",                                           CliErrors.BadInput, "MISSING" },
        { "logits MODEL --prompt hi --precision int4 --adapter GARBAGE",                          CliErrors.BadInput, "GARBAGE" },
        { "audit --base MODEL --adapter ADAPTER --forget EMPTY.json --retain EMPTY.json",         CliErrors.BadInput, "EMPTY.json" },
        { "audit --base MODEL --adapter ADAPTER --forget GARBAGE.jsonl --retain GARBAGE.jsonl",   CliErrors.BadInput, "GARBAGE.jsonl" },
        { "audit --base MODEL --adapter ADAPTER --forget GARBAGE.parquet --retain GARBAGE.parquet", CliErrors.BadInput, "GARBAGE.parquet" },
        { "audit --base MODEL --adapter ADAPTER --forget FOLDER --retain FOLDER",                 CliErrors.BadInput, "FOLDER" },
        { "audit --base FOLDER --adapter ADAPTER --forget MISSING --retain MISSING",              CliErrors.BadInput, "MISSING" },
        { "certify --verify GARBAGE.json",                                                        CliErrors.BadInput, "GARBAGE.json" },
        { "certify --verify FOLDER",                                                              CliErrors.BadInput, "FOLDER" },
        { "report FOLDER",                                                                        CliErrors.BadInput, "FOLDER" },
        { "data show FOLDER",                                                                     CliErrors.BadInput, "FOLDER" },
        { "data show GARBAGE",                                                                    CliErrors.BadInput, "GARBAGE" },
        { "finetune --model MODEL --data FOLDER --steps 1 --out OUT",                             CliErrors.BadInput, "FOLDER" },
        { "finetune --model FOLDER --data FOLDER --steps 1 --out OUT",                            CliErrors.BadInput, "FOLDER" },
        { "unlearn --model MODEL --adapter ADAPTER --data FOLDER --method ga --out OUT",          CliErrors.BadInput, "FOLDER" },
        { "quantize FOLDER --format nf4 --out OUT",                                               CliErrors.BadInput, "FOLDER" },
        { "export gguf GARBAGE --type f32 --out OUT.gguf",                                        CliErrors.BadInput, "GARBAGE" },
        { "export gguf MODEL --adapter FOLDER --type q4_0 --out OUT.gguf",                        CliErrors.BadInput, "FOLDER" },
        { "generate GARBAGE.gguf --prompt hi --max-new-tokens 1",                                 CliErrors.BadInput, "GARBAGE.gguf" },
        { "logits EMPTY.gguf --prompt hi",                                                        CliErrors.BadInput, "EMPTY.gguf" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_Bad_File_Is_One_Line_With_The_Exact_Exit_Code_Naming_It_And_Nothing_Is_Written(string command, int exitCode, string named)
    {
        // Given the placeholders made real
        var paths = new Dictionary<string, string>();
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => Resolve(a, paths)).ToArray();
        // When the command runs
        var result = CliRunner.Run(args);
        // Then one line, the exact code, the bad path named, and no output folder or file
        BadInputTests.OneLine(result, exitCode, paths[named]);
        foreach (var (key, path) in paths.Where(p => p.Key.StartsWith("OUT", StringComparison.Ordinal)))
            Assert.False(Path.Exists(path), $"{key} was written: {path}");
    }

    private string Resolve(string arg, Dictionary<string, string> paths)
    {
        var kind = arg.Split('.')[0];
        if (kind is not ("MODEL" or "ADAPTER" or "FOLDER" or "MISSING" or "EMPTY" or "GARBAGE" or "OUT")) return arg;
        if (paths.TryGetValue(arg, out var known)) return known;
        var extension = arg.Length > kind.Length ? arg[kind.Length..] : "";
        var path = kind switch
        {
            "MODEL" => fixture.ModelDir,
            "ADAPTER" => fixture.AdapterDir,
            _ => fixture.NewPath(kind.ToLowerInvariant()) + extension,
        };
        if (kind == "FOLDER") Directory.CreateDirectory(path);
        if (kind == "EMPTY") File.WriteAllBytes(path, []);
        if (kind == "GARBAGE") File.WriteAllBytes(path, Garbage(path));
        return paths[arg] = path;
    }

    // Bytes that are no format: fixed per path name so a failure replays, with a newline so line readers see lines.
    private static byte[] Garbage(string path)
    {
        var bytes = new byte[256];
        new Random(Path.GetExtension(path).Length + 7).NextBytes(bytes);
        bytes[100] = (byte)'\n';
        return bytes;
    }
}
