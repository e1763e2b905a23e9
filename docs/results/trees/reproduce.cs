#:project ../../../src/Microsoft.ML.Recourse.Experiments/Microsoft.ML.Recourse.Experiments.csproj
#:property PublishAot=false
// requires-data: adult/adult.csv

// Reproduces docs/results/trees/ (results.json, report.md): FastTree with 10, 100 and 500 trees × 20 leaves and LightGbm
// with its defaults, trained by ML.NET on adult (AdultTreeData), the first N rejected test rows of each explained by
// the exact CP-SAT method and by feature tweaking, every counterfactual re-scored by ML.NET. Until the CLI has
// `recourse reproduce trees`, run from the repository root:
//   nice -n 10 dotnet run docs/results/trees/reproduce.cs -- [rows per model, default 200] [output folder, default docs/results/trees]
using System.Globalization;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Experiments.Trees;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
string output = args.Length > 1 ? args[1] : "docs/results/trees";
var data = AdultTreeData.Load(DataDirectory.Locate("adult/adult.csv"));
string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
string loadBefore = Load();
var results = TreeRecourseExperiment.Run(data, new TreeExperimentOptions { MaximumRows = rows }, Console.WriteLine);
string environment = $"{Environment.ProcessorCount} logical cores, {Environment.OSVersion}, .NET {Environment.Version}; 1-minute load average {loadBefore} before and {Load()} after the run";
string command = "nice -n 10 dotnet run docs/results/trees/reproduce.cs" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
foreach (string path in TreeRecourseReport.Write(results, data, output, command, environment))
    Console.WriteLine($"wrote {path}");
