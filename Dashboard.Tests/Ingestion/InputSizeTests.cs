using Dashboard.Core.Ingestion.Engine;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

public sealed class InputSizeTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EstimateRows_SmallFile_IsTheExactLineCount_WithOrWithoutAFinalNewline()
    {
        var withNewline = IngestionHelpers.WriteLines(Path.Combine(_dir.Path, "a.json"), ["{}", "{}", "{}"]);
        var withoutNewline = Path.Combine(_dir.Path, "b.json");
        File.WriteAllText(withoutNewline, "{}\n{}");

        Assert.Equal(3, InputSize.EstimateRows([withNewline]));
        Assert.Equal(2, InputSize.EstimateRows([withoutNewline]));
        Assert.Equal(5, InputSize.EstimateRows([withNewline, withoutNewline]));
    }

    [Fact]
    public void EstimateRows_Wikiticker_IsWithinTwoPercentOfItsRows_FromAOneMebibyteSample()
    {
        var estimate = InputSize.EstimateRows([IngestionHelpers.Wikiticker]);

        Assert.NotNull(estimate);
        Assert.InRange(estimate!.Value, 39_244 * 0.98, 39_244 * 1.02);
    }
}
