namespace DurableUn.Data;

/// <summary>
/// Loads a dataset folder (layout in DatasetLayout) in full: the manifest if there is one (otherwise the kind is
/// inferred from the file names), then every split present, each validated row by row. Any problem throws before
/// anything is returned, so a caller never holds a half-loaded dataset. Real and synthetic folders go through
/// this same path.
/// Not: downloading, caching, or tokenizing.
/// </summary>
public static class DatasetFolder
{
    public static Dataset Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"dataset folder {dir} does not exist");
        var manifestPath = Path.Combine(dir, DatasetLayout.ManifestFile);
        var manifest = File.Exists(manifestPath) || Directory.Exists(manifestPath) ? DatasetManifest.Read(manifestPath) : null;
        var kind = manifest?.Kind ?? DatasetLayout.InferKind(dir)
            ?? throw new DataFormatException(dir, null, null,
                $"no {DatasetLayout.ManifestFile} and no file named like a TOFU, MUSE-News or WPU split");
        var splits = new List<DataSplit>();
        foreach (var spec in DatasetLayout.Splits(kind))
        {
            var files = DatasetLayout.FilesOf(dir, spec.Name);
            if (files.Count > 0) splits.Add(LoadSplit(spec, files));
        }
        if (splits.Count == 0)
            throw new DataFormatException(dir, null, null, $"a {kind} folder without any of its splits");
        return new Dataset(dir, kind, manifest, splits);
    }

    private static DataSplit LoadSplit(SplitSpec spec, IReadOnlyList<string> files)
    {
        var rows = new List<DataRow>();
        foreach (var file in files)
        {
            var raw = RowFileReader.Read(file, stringsAreText: spec.Rows == RowKind.Text);
            if (raw.Count == 0) throw new DataFormatException(file, null, null, $"split '{spec.Name}' has no rows");
            var read = raw.Select(r => RowCodec.Read(spec.Rows, r)).ToList();
            if (spec.RowsCarryDocument && read.FindIndex(r => r is WpuItem { Wikipage: null }) is var bare and >= 0)
                throw new DataFormatException(file, bare, "wikipage", $"missing: every '{spec.Name}' row carries the person's page (only hard_retain and general_retain rows may leave it out)");
            rows.AddRange(read);
        }
        return new DataSplit(spec, files, rows);
    }
}
