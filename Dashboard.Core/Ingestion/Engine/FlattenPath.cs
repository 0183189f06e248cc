using System.Globalization;
using System.Text;
using Dashboard.Core.Ingestion.Spec;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>
/// A flattenSpec field as a DuckDB expression over nested Parquet columns: <c>$.a.b</c>, <c>$['a']['b']</c> and
/// <c>$.a[0]</c> (JSONPath) or <c>.a.b</c> and <c>.a[0]</c> (jq) become struct field and list element access
/// (<c>"a"."b"</c>, <c>"a"[1]</c>: DuckDB lists count from 1, JSONPath from 0). Wildcards, filters and functions are refused.
/// </summary>
public static class FlattenPath
{
    public static string ToSql(FlattenField field)
    {
        if (field.Type == "root")
        {
            return Sql.Name(field.Expr);
        }

        var expr = field.Expr.Trim();
        var rest = field.Type == "path"
            ? expr.StartsWith('$') ? expr[1..] : throw Unsupported(field, "a JSONPath starts with $")
            : expr.StartsWith('.') ? expr : throw Unsupported(field, "a jq path starts with .");
        var sb = new StringBuilder();
        var i = 0;
        while (i < rest.Length)
        {
            if (rest[i] == '.')
            {
                var end = i + 1;
                while (end < rest.Length && rest[end] is not ('.' or '['))
                {
                    end++;
                }

                var name = rest[(i + 1)..end];
                if (name.Length == 0 || name.Contains('*'))
                {
                    throw Unsupported(field, "only plain field names are supported after a dot");
                }

                Append(sb, name);
                i = end;
            }
            else if (rest[i] == '[')
            {
                var close = rest.IndexOf(']', i);
                if (close < 0)
                {
                    throw Unsupported(field, "a [ has no closing ]");
                }

                var inner = rest[(i + 1)..close].Trim();
                if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
                {
                    Append(sb, inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    if (sb.Length == 0)
                    {
                        throw Unsupported(field, "the path must start with a field name");
                    }

                    sb.Append('[').Append(index + 1).Append(']');
                }
                else
                {
                    throw Unsupported(field, $"[{inner}] is neither a quoted name nor an index");
                }

                i = close + 1;
            }
            else
            {
                throw Unsupported(field, $"unexpected character '{rest[i]}' at position {i}");
            }
        }

        return sb.Length > 0 ? sb.ToString() : throw Unsupported(field, "the path names no field");
    }

    private static void Append(StringBuilder sb, string name)
    {
        if (sb.Length > 0)
        {
            sb.Append('.');
        }

        sb.Append(Sql.Name(name));
    }

    private static Errors.DruidException Unsupported(FlattenField field, string why) =>
        SpecJson.Invalid($"flattenSpec field [{field.Name}] has {field.Type} expr [{field.Expr}], which this server cannot read: {why}. " +
                         "Use a path of field names and list indexes, such as $.a.b or $.a[0].");
}
