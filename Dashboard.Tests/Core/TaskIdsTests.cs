using System.Text.RegularExpressions;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Tasks;

namespace Dashboard.Tests.Core;

public class TaskIdsTests
{
    [Theory]
    [InlineData("", "Invalid value for field [Task ID]: must not be null")]
    [InlineData(".hidden", "Invalid value for field [Task ID]: Value [.hidden] cannot start with '.'.")]
    [InlineData("a/b", "Invalid value for field [Task ID]: Value [a/b] cannot contain '/'.")]
    [InlineData("a\tb", "Invalid value for field [Task ID]: Value [a\tb] contains illegal whitespace characters.  Only space is allowed.")]
    [InlineData("a\u0001b", "Invalid value for field [Task ID]: Value [a\u0001b] contains illegal UTF8 character [#1] at position [1]")]
    [InlineData("a\ue000b", "Invalid value for field [Task ID]: Value [a\ue000b] contains illegal UTF8 character [#57344] at position [1]")]
    public void Validate_InvalidId_ThrowsInvalidInputWithDruidMessage(string id, string expected)
    {
        var ex = Assert.Throws<DruidException>(() => TaskIds.Validate("Task ID", id));
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("invalidInput", ex.ErrorCode);
        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(127)]
    [InlineData(0xd800)]
    [InlineData(0xf8ff)]
    [InlineData(0xffff)]
    public void Validate_NulControlSurrogateOrPrivateUse_IsRefusedNamingTheCharacter(int code)
    {
        var ex = Assert.Throws<DruidException>(() => TaskIds.Validate("Task ID", $"a{(char)code}b"));
        Assert.EndsWith($"contains illegal UTF8 character [#{code}] at position [1]", ex.Message);
    }

    [Fact]
    public void Validate_Over255Characters_IsRefusedSayingTheLength_WithoutEchoingItAll()
    {
        var ex = Assert.Throws<DruidException>(() => TaskIds.Validate("Task ID", new string('a', 256)));
        Assert.Contains("is 256 characters long; at most 255 are allowed", ex.Message);
        Assert.True(ex.Message.Length < 300);
        Assert.Equal(new string('a', 255), TaskIds.Validate("Task ID", new string('a', 255)));
    }

    [Theory]
    [InlineData("query-52as 8aafe-7265-4427-89fe-dc51275cc470")]
    [InlineData("index_parallel_wikipedia_auto_jndhkpbo_2023-06-26T17:23:05.308Z")]
    public void Validate_ValidId_ReturnsIt(string id) => Assert.Equal(id, TaskIds.Validate("Task ID", id));

    [Fact]
    public void NewTaskId_HasDruidShape()
    {
        var now = DruidTime.Parse("2023-06-26T21:08:05.216Z");
        var id = TaskIds.NewTaskId("index_parallel", "wikipedia", now);
        Assert.Matches(new Regex("^index_parallel_wikipedia_[a-p]{8}_2023-06-26T21:08:05.216Z$"), id);
    }

    [Fact]
    public void RandomSuffix_IsRandom()
    {
        var suffixes = Enumerable.Range(0, 50).Select(_ => TaskIds.RandomSuffix()).ToHashSet();
        Assert.True(suffixes.Count > 45);
    }
}
