using Dashboard.Bench;

// Benchmarks and campaigns for the overlord. Usage: bench/run.sh [tasks|ingest|msq|dashboard|cluster|sampler|crash|load] (see docs/benchmarks.md).
var suite = args.FirstOrDefault() ?? "tasks";
return suite switch
{
    "tasks" => await TasksBenchmark.RunAsync(args.Skip(1).ToArray()),
    "ingest" => await IngestBenchmark.RunAsync(args.Skip(1).ToArray()),
    "msq" => await MsqBenchmark.RunAsync(args.Skip(1).ToArray()),
    "dashboard" => await DashboardBenchmark.RunAsync(args.Skip(1).ToArray()),
    "cluster" => await ClusterBenchmark.RunAsync(args.Skip(1).ToArray()),
    "sampler" => await SamplerBenchmark.RunAsync(args.Skip(1).ToArray()),
    "sql" => await SqlBenchmark.RunAsync(args.Skip(1).ToArray()),
    "crash" => await CrashCampaign.RunAsync(args.Skip(1).ToArray()),
    "load" => await LoadCampaign.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: bench/run.sh tasks [--complete 100000] [--active 1000] [--noop 5000] [--metrics-noop 2000] [--metrics-rounds 10] [--metrics-scrape-ms 1000]");
    Console.Error.WriteLine("       bench/run.sh ingest [--rows 1000000] [--files 1] [--formats json.gz,json,parquet] [--rounds 3]");
    Console.Error.WriteLine("       bench/run.sh msq [--rows 1000000] [--rounds 3]");
    Console.Error.WriteLine("       bench/run.sh dashboard [--complete 100000] [--transitions 200] [--circuits 20]");
    Console.Error.WriteLine("       bench/run.sh cluster [--dashboards 50] [--seconds 30] [--changes 30]");
    Console.Error.WriteLine("       bench/run.sh sampler [--requests 50] [--rows 200]");
    Console.Error.WriteLine("       bench/run.sh sql [--rows 1000000] [--requests 50] [--clients 16] [--seconds 30]");
    Console.Error.WriteLine("       bench/run.sh crash [--runs 20] [--sigterm 3] [--seed 1] [--noops 5] [--max-stop-ms 3000] [--minutes 20]");
    Console.Error.WriteLine("       bench/run.sh load [--clients 200] [--seconds 60] [--hubs 5] [--pages 3] [--slots 8] [--seed 1] [--drain-minutes 15] [--max-requests 500000]");
    return 2;
}
