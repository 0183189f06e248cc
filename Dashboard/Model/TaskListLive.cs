using Dashboard.Core.Clients;
using Dashboard.Core.Feed;

namespace Dashboard.Model;

/// <summary>
/// The task grid's live state: the rows of the current page, the per-status counts, and what feed events change.
/// A status change of a row on the page updates that row at once; any change that may add, remove or move rows or
/// change counts asks for the page to be re-read. Paused, it keeps the rows as they are and counts waiting changes.
/// </summary>
public sealed class TaskListLive
{
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private Dictionary<string, TaskRow> _byId = new(StringComparer.Ordinal);

    public TaskListFilter Filter { get; set; } = new();

    public IReadOnlyList<TaskRow> Rows { get; private set; } = [];

    public TaskPage Page { get; private set; } = TaskPage.Empty;

    public bool Paused { get; private set; }

    /// <summary>How many tasks changed since the grid was paused.</summary>
    public int WaitingChanges => _waiting.Count;

    /// <summary>Set when an event may have changed what the page shows; cleared by <see cref="Load"/>.</summary>
    public bool Stale { get; private set; }

    public void Load(TaskPage page)
    {
        Page = page;
        Rows = page.Rows.Select(t => new TaskRow(t)).ToList();
        _byId = Rows.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        Stale = false;
    }

    public TaskRow? Find(string taskId) => _byId.GetValueOrDefault(taskId);

    /// <summary>Applies a batch of feed events. Returns true when the page should be re-read.</summary>
    public bool Apply(IReadOnlyList<FeedEvent> batch, DateTimeOffset now)
    {
        var query = Filter.ToQuery(now);
        foreach (var feedEvent in batch)
        {
            switch (feedEvent)
            {
                case TaskStatusChanged { Task: var task }:
                    if (Paused)
                    {
                        if (query.MatchesIgnoringStatus(task) || _byId.ContainsKey(task.Id))
                        {
                            _waiting.Add(task.Id);
                        }
                    }
                    else
                    {
                        if (_byId.TryGetValue(task.Id, out var row))
                        {
                            row.Apply(task);
                            Stale = true;
                        }
                        else if (query.MatchesIgnoringStatus(task))
                        {
                            Stale = true;
                        }
                    }

                    break;
                case FeedOverflowed:
                    if (Paused)
                    {
                        _waiting.Add("");
                    }
                    else
                    {
                        Stale = true;
                    }

                    break;
            }
        }

        return Stale && !Paused;
    }

    public void Pause()
    {
        Paused = true;
        _waiting.Clear();
    }

    /// <summary>Resumes live updates; the page must be re-read.</summary>
    public void Resume()
    {
        Paused = false;
        _waiting.Clear();
        Stale = true;
    }

    /// <summary>Feed events the grid cares about.</summary>
    public static bool Wants(FeedEvent feedEvent) => feedEvent is TaskStatusChanged;

    public bool HasActiveRows => Rows.Any(r => r.IsActive);
}
