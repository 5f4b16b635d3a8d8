using BenchmarkDotNet.Running;
using Monolith.Benchmarks;

if (args.Length > 0 && args[0] == "storm")
{
    return await StormBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "testdb")
{
    return await TestDatabaseBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "outbox")
{
    return await OutboxDeliveryBenchmark.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(StormBenchmark).Assembly).Run(args);
return 0;
