#:project ../src/Microsoft.ML.Recourse/Microsoft.ML.Recourse.csproj
#:property PublishAot=false

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Actions;

var mlContext = new MLContext(seed: 1);

// 200 credit applicants (docs/examples/user-data/credit.csv): their numbers, an age group and whether they repaid.
var data = mlContext.Data.LoadFromTextFile<Applicant>("docs/examples/user-data/credit.csv", hasHeader: true, separatorChar: ',');
var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.3, seed: 1);

// What an applicant may change, by column and in the column's own units; columns not listed stay as they are.
var actions = ColumnActionSet.FromJson("""
    { "default": "immutable", "maximumChange": 1.5,
      "columns": { "HoursPerWeek": { "lower": 8, "upper": 80 }, "Income": {}, "DebtRatio": { "direction": "decrease" },
                   "Savings": { "direction": "increase" }, "EducationYears": { "direction": "increase", "upper": 20 } } }
    """);

// An ML.NET pipeline: the columns → Features → z-scores → a classifier. Two classifiers: ML.NET's L-BFGS logistic
// regression, and this library's MLP trained to leave recourse to the applicants it rejects (Ross et al. 2021).
var features = mlContext.Transforms.Concatenate("Features", "Age", "EducationYears", "HoursPerWeek", "Income", "DebtRatio", "Savings")
    .Append(mlContext.Transforms.NormalizeMeanVariance("Features"));
var classifiers = new (string Name, IEstimator<ITransformer> Trainer)[]
{
    ("L-BFGS logistic regression", mlContext.BinaryClassification.Trainers.LbfgsLogisticRegression()),
    ("recourse-aware MLP", mlContext.Recourse().Trainers.RecourseAwareMultilayerPerceptron(actions, recourseWeight: 0.8)),
};

foreach (var (name, trainer) in classifiers)
{
    // Recourse is added behind the classifier, over the applicant's own columns: the pipeline's normaliser is composed,
    // so every change is in dollars, hours and years, and every one is accepted by the model's own PredictedLabel.
    var pipeline = mlContext.Recourse().GenerateRecourse(features.Append(trainer), actions, mlContext.Recourse().Generators.LinearIntegerProgram());
    var model = pipeline.Fit(split.TrainSet);
    var scored = model.Transform(split.TestSet);

    var metrics = mlContext.BinaryClassification.Evaluate(scored);
    var audit = mlContext.Recourse().Audit(scored, groupColumnName: "AgeGroup");
    Console.WriteLine($"{name}: accuracy {metrics.Accuracy:P0}; {audit.Overall.Negatives} applicants rejected, " +
        $"{audit.Overall.RecourseNegativeRate:P0} of them have recourse (mean cost {audit.Overall.MeanCost:0.00})");
    foreach (var group in audit.Groups)
        Console.WriteLine($"  age {group.Group}: {group.RecourseNegativeRate:P0} of {group.Negatives} rejected");
    Console.WriteLine($"  first rejected applicant: {model.ExplainAll(scored).First(e => e is { IsEmpty: false })}");
}

internal sealed class Applicant
{
    [LoadColumn(0)] public float Age { get; set; }
    [LoadColumn(1)] public float EducationYears { get; set; }
    [LoadColumn(2)] public float HoursPerWeek { get; set; }
    [LoadColumn(3)] public float Income { get; set; }
    [LoadColumn(4)] public float DebtRatio { get; set; }
    [LoadColumn(5)] public float Savings { get; set; }
    [LoadColumn(8)] public string AgeGroup { get; set; } = "";
    [LoadColumn(9), ColumnName("Label")] public bool Repaid { get; set; }
}
