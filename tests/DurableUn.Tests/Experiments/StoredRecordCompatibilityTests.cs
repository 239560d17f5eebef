using System.Text.Json;
using DurableUn.Certification;
using DurableUn.Deployment;
using DurableUn.Experiments.Results;
using DurableUn.IO;
using DurableUn.Methods;
using DurableUn.Runs;

namespace DurableUn.Tests.Experiments;

/// <summary>
/// Folders written before the records were typed still load, and a record read from them is written back as the
/// same text. The fixtures are files of a real smoke study run at commit 670e929 (Golden/study-670e929): two cells
/// (npo calibrated, salun published), results.json cut to TOFU's target, retain, npo seed 0 and salun published
/// seed 0 rows, and npo's certificate.
/// </summary>
public sealed class StoredRecordCompatibilityTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Golden", "study-670e929");
    private readonly string _dir = Directory.CreateTempSubdirectory("durableun-stored-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Precision[] StudyPrecisions = [Precision.Bf16, Precision.Int8, Precision.Int4];

    [Fact]
    public void Old_Cells_Read_As_Typed_Values_And_Write_Back_As_The_Same_Text()
    {
        var cells = new CellStore(Path.Combine(Fixture, "cells"), JsonDefaults.Options).ReadAll<CellOutcome>();
        var npo = cells["tofu__npo__calibrated__seed0"];
        Assert.Equal(MeasuredModel.Unlearned(MethodCatalog.Find("npo")), npo.Method);
        Assert.Equal(ModelRole.Unlearned, npo.Method.Role);
        Assert.Equal(CellSetting.Calibrated, npo.Setting);
        Assert.Equal(StudyPrecisions, npo.Records.Select(r => r.Precision));
        Assert.All(npo.Items, i => Assert.Equal(StudyPrecisions, i.Scores.Keys));
        Assert.Equal(CellSetting.Published, cells["tofu__salun__published__seed0"].Setting);

        var again = new CellStore(Path.Combine(_dir, "cells"), JsonDefaults.Options);
        foreach (var (key, cell) in cells)
        {
            again.Write(key, cell);
            Assert.Equal(File.ReadAllText(Path.Combine(Fixture, "cells", key + ".json")), File.ReadAllText(again.PathOf(key)));
        }
    }

    [Fact]
    public void Old_Results_Read_With_Their_Roles_And_Write_Back_As_The_Same_Text()
    {
        var path = Path.Combine(Fixture, "results.json");
        var records = JsonFile.Read<List<CellRecord>>(path, JsonDefaults.Options);
        Assert.Equal([ModelRole.Target, ModelRole.Retain, ModelRole.Unlearned],
            records.Select(r => r.Method.Role).Distinct().Order());
        Assert.Equal(StudyPrecisions, records.Where(r => r.Method == MeasuredModel.Target).Select(r => r.Precision));
        Assert.Equal(3, records.Count(r => r.Setting == CellSetting.Published));
        Assert.Equal(File.ReadAllText(path), JsonSerializer.Serialize(records, JsonDefaults.Options));
    }

    [Fact]
    public void An_Old_Certificate_Reads_As_Typed_Values_And_Writes_Back_As_The_Same_Text()
    {
        // Copied beside an adapters/ folder like the study's, so its relative run folders resolve the same way.
        var certificates = Directory.CreateDirectory(Path.Combine(_dir, "certificates")).FullName;
        var path = Path.Combine(certificates, "tofu__npo__calibrated.json");
        File.Copy(Path.Combine(Fixture, "certificates", "tofu__npo__calibrated.json"), path);
        var certificate = CertificateFile.Read(path);
        Assert.Equal(MethodCatalog.Find("npo"), certificate.Method);
        Assert.Equal(MethodSetting.Calibrated, certificate.Setting);
        Assert.Equal(StudyPrecisions, certificate.Precisions);
        Assert.All(certificate.Seeds, s => Assert.Equal(StudyPrecisions, s.Fa.Keys));

        var written = Path.Combine(certificates, "written.json");
        CertificateFile.Write(written, certificate);
        Assert.Equal(File.ReadAllText(path), File.ReadAllText(written));
    }

    [Theory]
    [InlineData("\"method\": \"npo\"", "\"method\": \"no-such-method\"", "unknown method")]
    [InlineData("\"precision\": \"int4\"", "\"precision\": \"int5\"", "int5")]
    [InlineData("\"setting\": \"calibrated\"", "\"setting\": \"tuned\"", "tuned")]
    public void A_Stored_Name_That_Is_No_Known_Value_Is_Refused_Naming_The_File(string valid, string broken, string named)
    {
        var path = Path.Combine(_dir, "results.json");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(Fixture, "results.json")).Replace(valid, broken));
        var e = Assert.Throws<JsonFileException>(() => JsonFile.Read<List<CellRecord>>(path, JsonDefaults.Options));
        Assert.Contains(path, e.Message);
        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData("calibrated")]
    [InlineData("published")]
    [InlineData("pt0003")]
    public void A_Setting_Is_Written_As_It_Was_Read(string name) => Assert.Equal(name, CellSetting.Parse(name).Name);
}
