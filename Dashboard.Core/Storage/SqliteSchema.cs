namespace Dashboard.Core.Storage;

/// <summary>
/// The metadata tables. Times are epoch milliseconds. The indexes serve the task list's three shapes (all complete
/// tasks newest first, one data source's, the active ones) without a scan when the store holds 100,000+ tasks.
/// </summary>
internal static class SqliteSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS tasks (
            id                TEXT    NOT NULL PRIMARY KEY,
            created_ms        INTEGER NOT NULL,
            datasource        TEXT    NOT NULL,
            type              TEXT    NOT NULL,
            group_id          TEXT    NOT NULL,
            active            INTEGER NOT NULL,
            status_code       TEXT    NOT NULL,
            duration          INTEGER NOT NULL,
            error_msg         TEXT,
            error_detail      TEXT,
            location_host     TEXT,
            location_port     INTEGER NOT NULL DEFAULT -1,
            location_tls_port INTEGER NOT NULL DEFAULT -1,
            payload           TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_tasks_active_created ON tasks (active, created_ms);
        CREATE INDEX IF NOT EXISTS ix_tasks_datasource_active_created ON tasks (datasource, active, created_ms);
        CREATE INDEX IF NOT EXISTS ix_tasks_group ON tasks (group_id);

        CREATE TABLE IF NOT EXISTS task_reports (
            task_id    TEXT    NOT NULL PRIMARY KEY,
            report     TEXT    NOT NULL,
            updated_ms INTEGER NOT NULL
        );

        CREATE TABLE IF NOT EXISTS segments (
            id            TEXT    NOT NULL PRIMARY KEY,
            datasource    TEXT    NOT NULL,
            start_ms      INTEGER NOT NULL,
            end_ms        INTEGER NOT NULL,
            version       TEXT    NOT NULL,
            partition_num INTEGER NOT NULL,
            used          INTEGER NOT NULL,
            created_ms    INTEGER NOT NULL,
            task_id       TEXT,
            payload       TEXT    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_segments_datasource_used_start ON segments (datasource, used, start_ms);
        CREATE INDEX IF NOT EXISTS ix_segments_task ON segments (task_id);

        CREATE TABLE IF NOT EXISTS pending_segments (
            id                TEXT    NOT NULL PRIMARY KEY,
            datasource        TEXT    NOT NULL,
            start_ms          INTEGER NOT NULL,
            end_ms            INTEGER NOT NULL,
            version           TEXT    NOT NULL,
            partition_num     INTEGER NOT NULL,
            sequence_name     TEXT    NOT NULL,
            task_allocator_id TEXT    NOT NULL,
            created_ms        INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_pending_segments_datasource_start ON pending_segments (datasource, start_ms);
        CREATE INDEX IF NOT EXISTS ix_pending_segments_allocator ON pending_segments (task_allocator_id);

        CREATE TABLE IF NOT EXISTS audit (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            time_ms        INTEGER NOT NULL,
            author         TEXT    NOT NULL,
            remote_address TEXT,
            action         TEXT    NOT NULL,
            target         TEXT    NOT NULL,
            detail         TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_audit_time ON audit (time_ms);

        CREATE TABLE IF NOT EXISTS users (
            name          TEXT    NOT NULL PRIMARY KEY,
            role          TEXT    NOT NULL,
            password_hash TEXT    NOT NULL,
            permissions   TEXT    NOT NULL DEFAULT '[]',
            updated_ms    INTEGER NOT NULL
        );
        """;
}
