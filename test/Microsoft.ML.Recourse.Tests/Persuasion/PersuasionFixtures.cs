using Microsoft.ML.Recourse.Persuasion;

namespace Microsoft.ML.Recourse.Tests.Persuasion;

/// <summary>The checked fixtures of the persuasion spec, §9.</summary>
internal static class PersuasionFixtures
{
    /// <summary>Two actions; mass p on (0,1) (only the desirable action accepted) and 1 − p on (0,0).</summary>
    public static PersuasionProblem Binary(RecourseCatalog ctx, double p, double c)
        => ctx.Persuasion.CreateProblem(
            [new PersuasionAction("nothing", 0, 0), new PersuasionAction("improve", c, 1)],
            [new EquivalenceRegion([false, true], p), new EquivalenceRegion([false, false], 1 - p)]);

    /// <summary>Nothing (cost 0), improve (0.3), game (0.1); regions (0,1,1) 0.2, (0,1,0) 0.1, (0,0,1) 0.1, (0,0,0) 0.6.</summary>
    public static PersuasionProblem ThreeActions(RecourseCatalog ctx, double gamingUtility)
        => ctx.Persuasion.CreateProblem(
            [new PersuasionAction("nothing", 0, 0), new PersuasionAction("improve", 0.3, 1), new PersuasionAction("game", 0.1, gamingUtility)],
            [
                new EquivalenceRegion([false, true, true], 0.2),
                new EquivalenceRegion([false, true, false], 0.1),
                new EquivalenceRegion([false, false, true], 0.1),
                new EquivalenceRegion([false, false, false], 0.6),
            ]);

    public const string ThreeActionsJson = """
        {
          "actions": [
            { "name": "nothing", "cost": 0,   "decisionMakerUtility": 0 },
            { "name": "improve", "cost": 0.3, "decisionMakerUtility": 1 },
            { "name": "game",    "cost": 0.1, "decisionMakerUtility": 0 }
          ],
          "regions": [
            { "mass": 0.2, "accepted": [false, true,  true ] },
            { "mass": 0.1, "accepted": [false, true,  false] },
            { "mass": 0.1, "accepted": [false, false, true ] },
            { "mass": 0.6, "accepted": [false, false, false] }
          ]
        }
        """;
}
