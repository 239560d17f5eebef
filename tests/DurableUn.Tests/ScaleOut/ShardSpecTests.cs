using DurableUn.ScaleOut;

namespace DurableUn.Tests.ScaleOut;

public class ShardSpecTests
{
    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("2/3", 2, 3)]
    [InlineData("07/10", 7, 10)]
    public void Parse_Should_Read_A_Zero_Based_Index_And_A_Count(string text, int index, int count)
    {
        // When / Then
        Assert.Equal(new ShardSpec(index, count), ShardSpec.Parse(text));
    }

    [Theory]
    [InlineData("3/2", "i must be below n")]
    [InlineData("2/2", "i must be below n")]
    [InlineData("0/0", "n must be at least 1")]
    [InlineData("a/b", "non-negative whole numbers")]
    [InlineData("-1/2", "non-negative whole numbers")]
    [InlineData("+1/2", "non-negative whole numbers")]
    [InlineData(" 1/2", "non-negative whole numbers")]
    [InlineData("1/", "non-negative whole numbers")]
    [InlineData("99999999999/2", "non-negative whole numbers")]
    [InlineData("1", "not of the form i/n")]
    [InlineData("1/2/3", "not of the form i/n")]
    public void Parse_Should_Reject_Bad_Text_Naming_It_And_The_Rule(string text, string rule)
    {
        // When
        var error = Assert.Throws<FormatException>(() => ShardSpec.Parse(text));
        // Then
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void ToString_Should_Round_Trip_Through_Parse()
    {
        Assert.Equal("4/9", ShardSpec.Parse("4/9").ToString());
    }

    [Fact]
    public void Shards_Should_Deal_Ordinal_Sorted_Keys_Round_Robin()
    {
        // Given five cells listed out of order; ordinal order is B < a1 < a2 < b < c (upper case sorts first)
        string[] cells = ["c", "a2", "B", "b", "a1"];
        // When dealt to two shards
        var first = ShardSpec.Parse("0/2").Select(cells, c => c);
        var second = ShardSpec.Parse("1/2").Select(cells, c => c);
        // Then ranks 0, 2, 4 go to shard 0 and ranks 1, 3 to shard 1
        Assert.Equal(["B", "a2", "c"], first);
        Assert.Equal(["a1", "b"], second);
    }

    [Fact]
    public void Select_Should_Reject_Two_Cells_With_One_Key()
    {
        var error = Assert.Throws<ArgumentException>(() => ShardSpec.All.Select(["x", "y", "x"], c => c));
        Assert.Contains("'x'", error.Message);
    }

    [Fact]
    public void Shards_Should_Partition_Any_Study_Exactly_And_Evenly()
    {
        // Given studies of 0..40 cells with random keys, each listed in a random order
        var random = new Random(20260501);
        for (var cellCount = 0; cellCount <= 40; cellCount++)
        {
            var keys = Enumerable.Range(0, cellCount).Select(i => $"{random.Next():x8}-{i}").ToList();
            for (var n = 1; n <= 12; n++)
            {
                // When every shard picks its cells from its own shuffled copy of the list (as separate tasks would)
                var shards = ShardSpec.Range(n).Select(s => s.Select(keys.OrderBy(_ => random.Next()), k => k)).ToList();
                // Then each cell is in exactly one shard, and shard sizes differ by at most one
                var union = shards.SelectMany(s => s).ToList();
                Assert.Equal(keys.Order(StringComparer.Ordinal), union.Order(StringComparer.Ordinal));
                Assert.True(shards.Max(s => s.Count) - shards.Min(s => s.Count) <= 1, $"{cellCount} cells, {n} shards");
            }
        }
    }
}
