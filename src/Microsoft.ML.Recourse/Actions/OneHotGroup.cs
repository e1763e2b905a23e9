namespace Microsoft.ML.Recourse.Actions;

/// <summary>
/// A set of 0/1 indicator features of which exactly one is 1 (one category of a one-hot encoded variable). An action
/// may switch the active category when the group is mutable; the result must again be a valid one-hot vector.
/// </summary>
public sealed class OneHotGroup
{
    internal OneHotGroup(string name, int[] featureIndices, string[] categoryLabels, bool isMutable)
    {
        Name = name;
        FeatureIndices = featureIndices;
        CategoryLabels = categoryLabels;
        IsMutable = isMutable;
    }

    /// <summary>Gets the name of the encoded variable, e.g. <c>personal_status_sex</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the indices of the indicator features in the <c>Features</c> vector, in category order.</summary>
    public IReadOnlyList<int> FeatureIndices { get; }

    /// <summary>Gets the label of each category (used in explanations), one per indicator.</summary>
    public IReadOnlyList<string> CategoryLabels { get; }

    /// <summary>Gets whether an action may switch the active category.</summary>
    public bool IsMutable { get; }

    /// <summary>Returns the position in the group of the indicator equal to 1, or -1 when the values are not a valid one-hot vector.</summary>
    internal int ActiveCategory(ReadOnlySpan<double> values, double tolerance)
    {
        int active = -1;
        for (int k = 0; k < FeatureIndices.Count; k++)
        {
            double v = values[FeatureIndices[k]];
            if (Math.Abs(v - 1) <= tolerance)
            {
                if (active >= 0) return -1;
                active = k;
            }
            else if (!(Math.Abs(v) <= tolerance))
            {
                return -1;
            }
        }
        return active;
    }
}
