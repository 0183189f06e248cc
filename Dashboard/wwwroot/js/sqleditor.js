// The SQL workbench's Monaco editor: a Druid SQL language (highlighting, completion, snippets), Ctrl+Enter to run and
// markers for the server's validation errors. Monaco itself is loaded by monaco.js (bundled by BlazorMonaco).
import { ensureLoaded } from "./monaco.js";

const languageId = "druidsql";
const editors = new Map();
let schema = { tables: [], columns: {} };

const keywords = [
    "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "OFFSET", "AS", "AND", "OR", "NOT", "IN",
    "IS", "NULL", "LIKE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "DISTINCT", "UNION", "ALL", "JOIN",
    "LEFT", "RIGHT", "INNER", "OUTER", "ON", "WITH", "INSERT", "INTO", "REPLACE", "OVERWRITE", "PARTITIONED",
    "CLUSTERED", "EXTERN", "EXTEND", "TABLE", "EXPLAIN", "PLAN", "FOR", "SET", "ASC", "DESC", "TRUE", "FALSE",
    "TIMESTAMP", "INTERVAL", "DAY", "HOUR", "MONTH", "YEAR", "WEEK", "MINUTE", "SECOND", "CAST", "VARCHAR",
    "BIGINT", "DOUBLE", "FLOAT", "BOOLEAN",
];

// The Druid SQL functions the server runs: Dashboard.Core's DruidSqlFunctions, passed in by SqlEditor at create().
let functions = [];

const snippets = [
    {
        label: "INSERT ... EXTERN", detail: "Ingest a file into a datasource",
        text: "INSERT INTO \"${1:datasource}\"\nSELECT\n  TIME_PARSE(\"${2:timestamp}\") AS __time,\n  *\nFROM TABLE(\n  EXTERN(\n    '{\"type\":\"local\",\"files\":[\"${3:path/to/file.json}\"]}',\n    '{\"type\":\"json\"}'\n  )\n) EXTEND (\"${2:timestamp}\" VARCHAR)\nPARTITIONED BY ${4:DAY}",
    },
    {
        label: "REPLACE ... OVERWRITE ALL", detail: "Replace a datasource's data",
        text: "REPLACE INTO \"${1:datasource}\" OVERWRITE ALL\nSELECT *\nFROM \"${2:source}\"\nPARTITIONED BY ${3:DAY}",
    },
    {
        label: "EXTERN", detail: "Read external data",
        text: "TABLE(EXTERN('{\"type\":\"local\",\"files\":[\"${1:file}\"]}', '{\"type\":\"${2:json}\"}')) EXTEND (${3:\"col\" VARCHAR})",
    },
    { label: "PARTITIONED BY", detail: "Time partitioning", text: "PARTITIONED BY ${1|DAY,HOUR,MONTH,YEAR,ALL|}" },
    { label: "CLUSTERED BY", detail: "Secondary partitioning", text: "CLUSTERED BY ${1:column}" },
];

function registerLanguage() {
    const monaco = window.monaco;
    if (monaco.languages.getLanguages().some(l => l.id === languageId)) {
        return;
    }
    monaco.languages.register({ id: languageId });
    monaco.languages.setMonarchTokensProvider(languageId, {
        ignoreCase: true,
        keywords,
        functions,
        tokenizer: {
            root: [
                [/--.*$/, "comment"],
                [/\/\*/, "comment", "@comment"],
                [/'([^']|'')*'/, "string"],
                [/"([^"]|"")*"/, "identifier.quote"],
                [/\d+(\.\d+)?/, "number"],
                [/[a-zA-Z_]\w*/, { cases: { "@keywords": "keyword", "@functions": "predefined", "@default": "identifier" } }],
                [/[<>=!]+|[-+*/%|]/, "operator"],
            ],
            comment: [[/\*\//, "comment", "@pop"], [/./, "comment"]],
        },
    });
    monaco.languages.setLanguageConfiguration(languageId, {
        comments: { lineComment: "--", blockComment: ["/*", "*/"] },
        brackets: [["(", ")"]],
        autoClosingPairs: [{ open: "(", close: ")" }, { open: "'", close: "'" }, { open: "\"", close: "\"" }],
    });
    monaco.languages.registerCompletionItemProvider(languageId, {
        triggerCharacters: [" ", "\"", "."],
        provideCompletionItems(model, position) {
            const word = model.getWordUntilPosition(position);
            const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
            const kinds = monaco.languages.CompletionItemKind;
            const items = [];
            for (const table of schema.tables) {
                items.push({ label: table, kind: kinds.Struct, detail: "datasource", insertText: table, range });
                for (const column of schema.columns[table] ?? []) {
                    items.push({ label: column, kind: kinds.Field, detail: "column of " + table, insertText: column, range });
                }
            }
            for (const f of functions) {
                items.push({ label: f, kind: kinds.Function, insertText: f + "($0)", insertTextRules: 4, range });
            }
            for (const k of keywords) {
                items.push({ label: k, kind: kinds.Keyword, insertText: k, range });
            }
            for (const s of snippets) {
                items.push({ label: s.label, kind: kinds.Snippet, detail: s.detail, insertText: s.text, insertTextRules: 4, range });
            }
            return { suggestions: items };
        },
    });
}

export async function create(element, id, text, dark, dotnet, functionNames) {
    if (Array.isArray(functionNames) && functionNames.length > 0 && functions.length === 0) {
        functions = functionNames;
    }
    await ensureLoaded();
    registerLanguage();
    const monaco = window.monaco;
    const editor = monaco.editor.create(element, {
        value: text,
        language: languageId,
        theme: dark ? "vs-dark" : "vs",
        automaticLayout: true,
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 13,
        wordWrap: "on",
    });
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => {
        editor.trigger("run", "hideSuggestWidget", null);
        dotnet.invokeMethodAsync("RunFromEditor");
    });
    let timer = null;
    editor.onDidChangeModelContent(() => {
        clearTimeout(timer);
        timer = setTimeout(() => dotnet.invokeMethodAsync("TextChanged", editor.getValue()), 300);
    });
    editors.set(id, editor);
}

export function setSchema(tables, columns) {
    schema = { tables, columns };
}

export function getValue(id) {
    return editors.get(id)?.getValue() ?? "";
}

export function setValue(id, text) {
    const editor = editors.get(id);
    if (editor && editor.getValue() !== text) {
        editor.setValue(text);
    }
}

export function setTheme(dark) {
    window.monaco?.editor.setTheme(dark ? "vs-dark" : "vs");
}

export function setMarker(id, line, column, message) {
    const editor = editors.get(id);
    if (!editor) {
        return;
    }
    const model = editor.getModel();
    const markers = [];
    if (message) {
        const lineNumber = Math.max(1, Math.min(line, model.getLineCount()));
        const start = Math.max(1, column);
        const end = Math.max(start + 1, model.getWordAtPosition({ lineNumber, column: start })?.endColumn ?? model.getLineMaxColumn(lineNumber));
        markers.push({ severity: window.monaco.MarkerSeverity.Error, message, startLineNumber: lineNumber, startColumn: start, endLineNumber: lineNumber, endColumn: end });
        editor.revealLineInCenter(lineNumber);
    }
    window.monaco.editor.setModelMarkers(model, "druid", markers);
}

export function dispose(id) {
    editors.get(id)?.dispose();
    editors.delete(id);
}

// Replaces the selection (or inserts at the cursor) with text, as one undoable edit, and focuses the editor.
export function insertText(id, text) {
    const editor = editors.get(id);
    if (!editor) {
        return;
    }
    const selection = editor.getSelection();
    editor.pushUndoStop();
    editor.executeEdits("insert", [{ range: selection, text, forceMoveMarkers: true }]);
    editor.pushUndoStop();
    editor.focus();
}
