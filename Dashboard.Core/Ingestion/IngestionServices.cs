using Dashboard.Core.Engine;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Overlord;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Ingestion;

/// <summary>What ingestion tasks need from the server, injected into their factories.</summary>
public sealed record IngestionServices(
    InputSourceRules Rules,
    InputResolver Resolver,
    DuckDbIngestionEngine Engine,
    SegmentAllocator Allocator,
    LocalDeepStorage DeepStorage,
    TimeProvider Time,
    DuckDbSessionFactory Sessions,
    Microsoft.Extensions.Options.IOptions<OverlordOptions> Overlord);
