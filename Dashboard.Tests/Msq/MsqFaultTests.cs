using Dashboard.Core.Msq.Execution;

namespace Dashboard.Tests.Msq;

public class MsqFaultTests
{
    [Fact]
    public void FromEngineError_NotImplemented_IsQueryNotSupported_WithTheEnginesReason()
    {
        var fault = MsqFault.FromEngineError("Not implemented Error: GROUPING SETS over a window\nLINE 1: ...");

        Assert.Equal("QueryNotSupported: QueryKit could not translate the provided query to a multi-stage query: GROUPING SETS over a window", fault.TaskErrorMessage);
    }

    [Fact]
    public void FromEngineError_AnyOtherError_IsUnknownError_WithItsFirstLine()
    {
        var fault = MsqFault.FromEngineError("Conversion Error: Could not convert string 'x' to INT64\nLINE 1: ...");

        Assert.Equal("UnknownError", fault.ErrorCode);
        Assert.Equal("Conversion Error: Could not convert string 'x' to INT64", fault.ToJson()["message"]!.GetValue<string>());
    }
}
