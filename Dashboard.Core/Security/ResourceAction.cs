namespace Dashboard.Core.Security;

/// <summary>Druid's resource types: a data source, the cluster's state, its configuration (users, audit).</summary>
public enum ResourceType
{
    DATASOURCE,
    STATE,
    CONFIG,
}

/// <summary>Druid's actions on a resource.</summary>
public enum DruidAction
{
    READ,
    WRITE,
}

/// <summary>A named resource of a type, as Druid's authorizers see it.</summary>
public sealed record Resource(string Name, ResourceType Type)
{
    public static Resource DataSource(string name) => new(name, ResourceType.DATASOURCE);

    public static Resource State { get; } = new("STATE", ResourceType.STATE);

    public static Resource Config { get; } = new("CONFIG", ResourceType.CONFIG);
}

/// <summary>One action on one resource: what an endpoint or a button needs.</summary>
public sealed record ResourceAction(Resource Resource, DruidAction Action)
{
    public override string ToString() => $"{Action} on {Resource.Type}[{Resource.Name}]";
}
