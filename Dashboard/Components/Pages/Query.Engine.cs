using System.Text.RegularExpressions;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Query;
using Dashboard.Model;

namespace Dashboard.Components.Pages;

/// <summary>
/// The workbench's engine choice, as Druid's console has it: with "Auto" a SELECT without INSERT/REPLACE runs
/// interactively through the read door (<see cref="Security.ReadScope"/>, <c>/druid/v2/sql</c>: no task, rows in
/// milliseconds); anything else, "SQL task (MSQ)" and "Run as task" go to the task engine through OperatorActions.
/// </summary>
public sealed partial class Query
{
    private SqlQueryResult? _result;
    private TimeSpan _elapsed;

    private string Engine => _tabs[_active].Engine;

    /// <summary>Run is open to readers when this tab's engine may answer a SELECT interactively.</summary>
    private bool CanRun => Actions.CanWrite() || Engine == QueryEngines.Auto;

    /// <summary>True for a statement the interactive engine answers: a SELECT (or WITH) after any SET statements.</summary>
    public static bool IsInteractiveSelect(string sql)
    {
        var withoutComments = Regex.Replace(sql, @"--[^\n]*|/\*.*?\*/", " ", RegexOptions.Singleline);
        var sets = Regex.Match(withoutComments, @"^(\s*SET\s+[^;]*;)*\s*", RegexOptions.IgnoreCase);
        var statement = withoutComments[sets.Length..];
        return Regex.IsMatch(statement, @"^\(*\s*(SELECT|WITH)\b", RegexOptions.IgnoreCase)
               && !Regex.IsMatch(statement, @"\b(INSERT|REPLACE)\s+INTO\b", RegexOptions.IgnoreCase);
    }

    private async Task SetEngineAsync(string engine)
    {
        _tabs[_active] = _tabs[_active] with { Engine = QueryEngines.Normalise(engine) };
        await SaveTabsAsync();
    }

    private async Task RunInteractiveAsync(string sql)
    {
        _submitting = true;
        StateHasChanged();
        try
        {
            await _editor!.SetMarkerAsync(0, 0, null);
            await SaveCurrentAsync();
            await SaveTabsAsync();
            var started = Time.GetTimestamp();
            _result = await Overlord.QuerySqlAsync(new SqlQueryRequest(sql, _context.ToJson(), null), _stop.Token);
            _elapsed = Time.GetElapsedTime(started);
        }
        catch (DruidException ex)
        {
            await ShowErrorAsync(ex.ToErrorResponse());
        }
        finally
        {
            _submitting = false;
        }
    }
}
