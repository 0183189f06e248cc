using Bunit;

namespace Dashboard.Tests.Components;

/// <summary>The workbench's tests: the Monaco module answers loosely, and a test sets what the editor holds.</summary>
public abstract class QueryPageTestBase : ComponentTestBase
{
    protected QueryPageTestBase()
    {
        Editor = Context.JSInterop.SetupModule("./js/sqleditor.js");
        Editor.Mode = JSRuntimeMode.Loose;
    }

    protected BunitJSModuleInterop Editor { get; }

    protected void EditorText(string sql) => Editor.Setup<string>("getValue", _ => true).SetResult(sql);
}
