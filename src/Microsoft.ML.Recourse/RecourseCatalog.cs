using Microsoft.ML.Recourse;
using Microsoft.ML.Recourse.Calibration;
using Microsoft.ML.Recourse.Datasets;
using Microsoft.ML.Recourse.Evaluation;
using Microsoft.ML.Recourse.MultiAgent;
using Microsoft.ML.Recourse.Persistence;
using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML
{
    /// <summary>The door to Microsoft.ML.Recourse from an <see cref="MLContext"/>, as ML.NET's add-ons hang their catalogs off the context.</summary>
    public static class MLContextRecourseExtensions
    {
        /// <summary>
        /// Gets algorithmic recourse for this context: recourse-aware trainers, recourse generators, the recourse
        /// transformer and audits, PAC-guaranteed thresholds, evaluation, Bayesian persuasion, multi-agent recourse,
        /// reference data sets and model reading. Randomness derives from the context's seed and messages go to
        /// <see cref="MLContext.Log"/>.
        /// </summary>
        /// <param name="mlContext">The ML.NET context.</param>
        public static RecourseCatalog Recourse(this MLContext mlContext)
        {
            ArgumentNullException.ThrowIfNull(mlContext);
            return new RecourseCatalog(mlContext);
        }
    }
}

namespace Microsoft.ML.Recourse
{
    /// <summary>
    /// The catalog of algorithmic recourse, reached through <c>mlContext.Recourse()</c>: nested catalogs for trainers,
    /// generators, calibration, evaluation, persuasion, multi-agent recourse, data sets and models, plus the recourse
    /// transformer, audits and model-update simulations.
    /// </summary>
    public sealed partial class RecourseCatalog
    {
        internal RecourseCatalog(MLContext mlContext)
        {
            Environment = new RecourseEnvironment(mlContext);
            Trainers = new RecourseTrainers(Environment);
            Generators = new RecourseGenerators(Environment);
            Calibration = new CalibrationCatalog(Environment);
            Evaluation = new EvaluationCatalog(Environment);
            Persuasion = new PersuasionCatalog(Environment);
            MultiAgent = new MultiAgentCatalog(Environment);
            Datasets = new DatasetsCatalog(Environment);
            Model = new RecourseModelCatalog(Environment);
        }

        /// <summary>Gets the recourse-aware trainers (Ross, Lakkaraju &amp; Bastani 2021).</summary>
        public RecourseTrainers Trainers { get; }

        /// <summary>Gets the recourse generators (one-step LP, gradient descent, linear integer program, robust, …).</summary>
        public RecourseGenerators Generators { get; }

        /// <summary>Gets decision-threshold calibration with guarantees (PAC thresholds, PARE).</summary>
        public CalibrationCatalog Calibration { get; }

        /// <summary>Gets the evaluation suite: performance, recourse rates, robustness, brittleness, in-distribution checks, disparities and sweeps.</summary>
        public EvaluationCatalog Evaluation { get; }

        /// <summary>Gets Bayesian persuasion for recourse: optimal obedient recommendations under a secret rule.</summary>
        public PersuasionCatalog Persuasion { get; }

        /// <summary>Gets multi-agent recourse on structural causal models, normal-form games and causal recourse evaluation.</summary>
        public MultiAgentCatalog MultiAgent { get; }

        /// <summary>Gets the reference data sets of the papers, preprocessed as their code, and a synthetic credit data set.</summary>
        public DatasetsCatalog Datasets { get; }

        /// <summary>Gets the way back from a saved and loaded ML.NET model to this library's typed transformers.</summary>
        public RecourseModelCatalog Model { get; }

        internal RecourseEnvironment Environment { get; }
    }
}
