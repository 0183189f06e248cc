using System.Globalization;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Microsoft.AspNetCore.WebUtilities;

namespace Dashboard.Model;

/// <summary>How complete tasks are limited by age when no explicit created range is set.</summary>
public sealed record TaskWindow(string Key, string Label, TimeSpan? Length)
{
    public static IReadOnlyList<TaskWindow> All { get; } =
    [
        new("1h", "Last hour", TimeSpan.FromHours(1)),
        new("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        new("7d", "Last 7 days", TimeSpan.FromDays(7)),
        new("30d", "Last 30 days", TimeSpan.FromDays(30)),
        new("all", "All time", null),
    ];

    public static TaskWindow Default { get; } = All[1];

    public static TaskWindow Find(string? key) => All.FirstOrDefault(w => w.Key == key) ?? Default;
}

/// <summary>What the grid can be grouped by.</summary>
public enum TaskGrouping
{
    None,
    Type,
    DataSource,
    GroupId,
    Status,
}

/// <summary>
/// Everything that defines a view of the task list, kept in the URL so a link reproduces the view:
/// <c>/tasks?status=RUNNING,FAILED&amp;ds=wikipedia&amp;type=noop&amp;group=..&amp;q=..&amp;window=24h&amp;from=..&amp;to=..&amp;groupBy=type&amp;sort=created&amp;desc=1&amp;page=2&amp;size=25</c>.
/// </summary>
public sealed record TaskListFilter
{
    public const int DefaultPageSize = 25;
    public static IReadOnlyList<int> PageSizes { get; } = [10, 25, 50, 100];

    public IReadOnlyList<string> Statuses { get; init; } = [];
    public string? DataSource { get; init; }
    public string? Type { get; init; }
    public string? GroupId { get; init; }
    public string? Search { get; init; }
    public TaskWindow Window { get; init; } = TaskWindow.Default;
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public TaskGrouping GroupBy { get; init; }
    public TaskSortField Sort { get; init; } = TaskSortField.Created;
    public bool Descending { get; init; } = true;

    /// <summary>Zero-based page.</summary>
    public int Page { get; init; }

    public int PageSize { get; init; } = DefaultPageSize;

    public bool HasCustomRange => From is not null || To is not null;

    /// <summary>True when anything narrows the list (the status chips aside).</summary>
    public bool HasFilters => DataSource is not null || Type is not null || GroupId is not null || Search is not null || HasCustomRange;

    public TaskPageQuery ToQuery(DateTimeOffset now) => new()
    {
        Statuses = Statuses,
        DataSource = DataSource,
        Type = Type,
        GroupId = GroupId,
        IdContains = Search,
        CreatedFrom = From,
        CreatedTo = To,
        CompleteCreatedFrom = HasCustomRange || Window.Length is not { } length ? null : now - length,
        Sort = GroupingSort ?? Sort,
        Descending = GroupingSort is null ? Descending : false,
        Offset = Page * PageSize,
        Limit = PageSize,
    };

    /// <summary>Grouped views are sorted by the group key, so a page holds whole groups wherever it can.</summary>
    private TaskSortField? GroupingSort => GroupBy switch
    {
        TaskGrouping.Type => TaskSortField.Type,
        TaskGrouping.DataSource => TaskSortField.DataSource,
        TaskGrouping.GroupId => TaskSortField.GroupId,
        TaskGrouping.Status => TaskSortField.Status,
        _ => null,
    };

    /// <summary>The same view with one status chip toggled; back to the first page.</summary>
    public TaskListFilter ToggleStatus(string status) => this with
    {
        Statuses = Statuses.Contains(status) ? Statuses.Where(s => s != status).ToList() : Statuses.Append(status).OrderBy(DisplayStatus.Rank).ToList(),
        Page = 0,
    };

    public string ToQueryString()
    {
        var q = new List<KeyValuePair<string, string?>>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                q.Add(new(key, value));
            }
        }

        Add("status", Statuses.Count == 0 ? null : string.Join(',', Statuses));
        Add("ds", DataSource);
        Add("type", Type);
        Add("group", GroupId);
        Add("q", Search);
        Add("window", Window == TaskWindow.Default ? null : Window.Key);
        Add("from", From is { } f ? DruidTime.Format(f) : null);
        Add("to", To is { } t ? DruidTime.Format(t) : null);
        Add("groupBy", GroupBy == TaskGrouping.None ? null : GroupBy.ToString().ToLowerInvariant());
        Add("sort", Sort == TaskSortField.Created ? null : Sort.ToString().ToLowerInvariant());
        Add("desc", Descending ? null : "0");
        Add("page", Page == 0 ? null : (Page + 1).ToString(CultureInfo.InvariantCulture));
        Add("size", PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture));
        return QueryString.Create(q).ToUriComponent();
    }

    /// <summary>Reads a view from a URL; unknown or malformed values fall back to the defaults.</summary>
    public static TaskListFilter Parse(string uri)
    {
        var query = new Uri(uri, UriKind.Absolute).Query;
        var q = QueryHelpers.ParseQuery(query);
        string? Get(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        int? Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        DateTimeOffset? Time(string key) => Get(key) is { } text && DruidTime.TryParse(text, out var t) ? t : null;

        var size = Int("size") ?? DefaultPageSize;
        return new TaskListFilter
        {
            Statuses = (Get("status") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(DisplayStatus.Parse).OfType<string>().Distinct().OrderBy(DisplayStatus.Rank).ToList(),
            DataSource = Get("ds"),
            Type = Get("type"),
            GroupId = Get("group"),
            Search = Get("q"),
            Window = TaskWindow.Find(Get("window")),
            From = Time("from"),
            To = Time("to"),
            GroupBy = Enum.TryParse<TaskGrouping>(Get("groupBy"), ignoreCase: true, out var g) ? g : TaskGrouping.None,
            Sort = Enum.TryParse<TaskSortField>(Get("sort"), ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : TaskSortField.Created,
            Descending = Get("desc") != "0",
            Page = Math.Max(0, (Int("page") ?? 1) - 1),
            PageSize = PageSizes.Contains(size) ? size : DefaultPageSize,
        };
    }
}
