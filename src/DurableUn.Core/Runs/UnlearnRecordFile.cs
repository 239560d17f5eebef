using System.Text.Json;
using DurableUn.IO;

namespace DurableUn.Runs;

/// <summary>
/// run.json of an unlearned adapter on disk. The folders it names (base, data, target adapter) are stored relative to
/// the run folder, so a study copied or moved as a whole (as Slurm users do) still points at its own files; in
/// memory they are absolute. Records written before this (absolute paths) read unchanged.
/// </summary>
public static class UnlearnRecordFile
{
    public static void Write(string runDir, UnlearnRecord record)
    {
        string Relative(string path) => Path.GetRelativePath(Path.GetFullPath(runDir), Path.GetFullPath(path));
        var stored = record with { BaseModel = Relative(record.BaseModel), Data = Relative(record.Data), TargetAdapter = Relative(record.TargetAdapter) };
        File.WriteAllText(Path.Combine(runDir, FinetuneRun.RecordFile), JsonSerializer.Serialize(stored, JsonDefaults.Options));
    }

    /// <exception cref="FileNotFoundException">No run.json: the folder is not an unlearned run.</exception>
    /// <exception cref="FormatException">run.json is not an unlearn record (JsonFileException when malformed); the message names the file.</exception>
    public static UnlearnRecord Read(string runDir)
    {
        var full = Path.GetFullPath(runDir);
        var path = Path.Combine(full, FinetuneRun.RecordFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{full} is not an unlearned run: no {FinetuneRun.RecordFile}", path);
        var record = JsonFile.Read<UnlearnRecord>(path, JsonDefaults.Options);
        if (record.Kind != "unlearn") throw new FormatException($"{path}: a {record.Kind} run, not an unlearned adapter");
        string Resolve(string stored) => Path.GetFullPath(stored, full);
        return record with { BaseModel = Resolve(record.BaseModel), Data = Resolve(record.Data), TargetAdapter = Resolve(record.TargetAdapter) };
    }
}
