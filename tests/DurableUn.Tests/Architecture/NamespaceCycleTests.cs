namespace DurableUn.Tests.Architecture;

/// <summary>
/// Core's folders are namespaces (DurableUn.Runs, DurableUn.Certification, …) and must form a one-way chain
/// (ARCHITECTURE.md, "Layers and arrows"): no two of them may use each other, directly or through others.
/// </summary>
public class NamespaceCycleTests
{
    [Fact]
    public void Core_Namespaces_Use_Each_Other_In_One_Direction_Only()
    {
        var edges = NamespaceGraph.Of(typeof(DurableUn.Experiments.Studies.Study).Assembly, "DurableUn");
        var cycles = NamespaceGraph.Cycles(edges);
        Assert.True(cycles.Count == 0, "namespaces that depend on each other:\n  " + string.Join("\n  ", cycles.Select(c =>
            string.Join(", ", c) + ": " + string.Join("; ", c.SelectMany(from => edges[from]
                .Where(e => c.Contains(e.Key)).Select(e => $"{from} → {e.Key} ({e.Value})"))))));
    }

    [Fact]
    public void The_Graph_Sees_A_Use_Inside_A_Method_Body()
    {
        // Certifier calls UnlearnRecordFile.Read inside Certify: only the method body names DurableUn.Runs that way.
        var edges = NamespaceGraph.Of(typeof(DurableUn.Experiments.Studies.Study).Assembly, "DurableUn");
        Assert.Contains("Runs", edges["Certification"].Keys);
        Assert.Contains("Runs", edges["Experiments.Studies"].Keys);
    }

    [Fact]
    public void A_Cycle_Through_Three_Namespaces_Is_Found_And_A_Chain_Is_Not()
    {
        var cyclic = new Dictionary<string, Dictionary<string, string>>
        {
            ["A"] = new() { ["B"] = "x" }, ["B"] = new() { ["C"] = "x" }, ["C"] = new() { ["A"] = "x" }, ["D"] = new() { ["A"] = "x" },
        };
        Assert.Equal([["A", "B", "C"]], NamespaceGraph.Cycles(cyclic));
        var chain = new Dictionary<string, Dictionary<string, string>> { ["A"] = new() { ["B"] = "x" }, ["B"] = new() { ["C"] = "x" } };
        Assert.Empty(NamespaceGraph.Cycles(chain));
    }
}
