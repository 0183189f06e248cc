using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Model;
using Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Dashboard.Components.Dialogs;

/// <summary>What "Insert SQL" hands back to the workbench: the statement, and whether it goes into a new tab.</summary>
public sealed record ConnectExternalDataResult(string Sql, bool NewTab);

/// <summary>
/// "Connect external data": a local file, inline rows or a URL; the server's sampler previews the first rows (format
/// detected or chosen); the user picks the time column, partitioning, clustering and datasource; "Insert SQL" returns the
/// INSERT ... EXTERN statement for the editor. Everything goes through <see cref="IOverlordClient.SampleAsync"/>.
/// </summary>
public sealed partial class ConnectExternalDataDialog : IDisposable
{
    private const int VisibleRows = 50;
    private readonly ExternalDataForm _form = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _sampling;
    private bool _newTab = true;
    private string? _error;

    [CascadingParameter] private IMudDialogInstance MudDialog { get; set; } = default!;

    [Inject] private OperatorActions Actions { get; set; } = default!;

    [Inject] private IServiceProvider Services { get; set; } = default!;

    /// <summary>The folders local paths must be in, when the overlord is this process (unknown in cluster mode).</summary>
    private IReadOnlyList<string>? AllowedFolders => Services.GetService(typeof(InputSourceRules)) is InputSourceRules rules ? rules.AllowedBaseDirs : null;

    private string LocalHelp => AllowedFolders is { } folders
        ? $"Read by the server; allowed folders: {string.Join(", ", folders)}"
        : "Read by the Druid cluster, within its allowed folders.";

    private string DetectLabel => _form.Format == ExternalDataForm.DetectFormat && _form.DetectedFormatName is { } detected
        ? $"Detect (found {detected})"
        : "Detect from the data";

    private string TimeHelp => _form.TimeCandidates.Count == 0
        ? "No column reads as times: rows get " + ExternInsertSql.NoTimeColumnLiteral
        : _form.TimeColumn.Length == 0 ? "Rows get " + ExternInsertSql.NoTimeColumnLiteral : "Becomes __time";

    private string? DataSourceProblem => _form.Sample is null ? null : ExternInsertSql.ValidateDataSource(_form.DataSource);

    private void SourceKindChanged(int index)
    {
        _form.Kind = (ExternalSourceKind)index;
        Changed();
    }

    private void LocalPathChanged(string? value)
    {
        _form.LocalPath = value;
        Changed();
    }

    private void InlineChanged(string? value)
    {
        _form.InlineData = value;
        Changed();
    }

    private void UrlChanged(string? value)
    {
        _form.Url = value;
        Changed();
    }

    /// <summary>The source changed: the preview no longer shows it.</summary>
    private void Changed()
    {
        _form.ClearSample();
        _error = null;
    }

    private async Task FormatChangedAsync(string format)
    {
        _form.Format = format;
        if (_form.Sample is not null)
        {
            await PreviewAsync();
        }
    }

    private async Task PreviewAsync()
    {
        if (_form.SourceProblem is { } problem)
        {
            _error = problem;
            return;
        }

        _sampling = true;
        _error = null;
        StateHasChanged();
        try
        {
            var source = _form.InputSource();
            var sample = await Actions.SampleAsync(_form.SamplerRequest(), _stop.Token);
            _form.Apply(source, sample);
        }
        catch (DruidException ex)
        {
            _form.ClearSample();
            _error = ex.StatusCode == 400 ? ex.Message : $"The sampler failed ({ex.StatusCode}): {ex.Message}";
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _sampling = false;
        }
    }

    private void Insert()
    {
        if (_form.InsertProblem is null)
        {
            MudDialog.Close(DialogResult.Ok(new ConnectExternalDataResult(_form.BuildSql(), _newTab)));
        }
    }

    private static string SummaryText(SamplerResponse sample)
    {
        var parts = new List<string> { $"{sample.NumRowsRead:N0} rows sampled" };
        if (sample.NumRowsRead != sample.NumRowsIndexed)
        {
            parts.Add($"{sample.NumRowsRead - sample.NumRowsIndexed:N0} unparseable");
        }

        if (sample.BytesRead is { } bytes)
        {
            parts.Add($"{DataFormat.Bytes(bytes)} read" + (sample.Truncated == true ? " (the start of the input)" : " (all of it)"));
        }

        if (sample.Data.Count > VisibleRows)
        {
            parts.Add($"first {VisibleRows} shown");
        }

        return string.Join(" · ", parts);
    }

    private static string CellText(SamplerRow row, string column)
    {
        var value = row.Parsed?[column] ?? row.Input?[column];
        return value switch
        {
            null => "null",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => value.ToJsonString(),
        };
    }

    /// <summary>Shows the dialog; the statement to insert, or null when cancelled.</summary>
    public static async Task<ConnectExternalDataResult?> ShowAsync(IDialogService dialogs)
    {
        var reference = await dialogs.ShowAsync<ConnectExternalDataDialog>("Connect external data", new DialogParameters(),
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
        var result = await reference.Result;
        return result is { Canceled: false, Data: ConnectExternalDataResult chosen } ? chosen : null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
