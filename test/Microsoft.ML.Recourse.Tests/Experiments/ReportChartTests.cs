using System.Xml.Linq;
using Microsoft.ML.Recourse.Experiments;
using SkiaSharp;

namespace Microsoft.ML.Recourse.Tests.Experiments;

public class ReportChartTests
{
    internal static ReportChart.Figure LineFigure() => new(
        "M2 validity vs L1 cost as δ_max varies (labels = δ_max)",
        [
            new ReportChart.LinePanel("german-correction", "mean L1 cost",
            [
                new("robust", "#1f77b4", [new(0.5, 0.4, Label: "0.05"), new(1.0, 0.7, 0.1, "0.1"), new(2.0, 0.95, Label: "0.3")]),
                new("robustIp", "#d62728", [new(0.4, 0.3, Label: "0.05"), new(double.NaN, 0.5), new(1.5, 0.8, Label: "0.3")], Dashed: true),
            ]) { XMinimum = 0, XMaximum = 2.2, YLabel = "M2 validity" },
            new ReportChart.LinePanel("sba-temporal", "θ₀",
            [
                new("robust", "#1f77b4", [new(5, 0.2), new(6, 0.6)]),
            ]),
        ]);

    internal static ReportChart.Figure BarFigure() => new(
        "Expected decision-maker utility at σ² = 1",
        [
            new ReportChart.BarPanel("c = 0.5, Δ = 1", [new("Persuasion (optimal signalling)", "#d62728", 0.61, 0.02), new("Full disclosure", "#1f77b4", 0.42), new("No disclosure", "#2ca02c", 0.07, 0.01)]) { YLabel = "utility" },
            new ReportChart.BarPanel("c = 1, Δ = 1", [new("Persuasion (optimal signalling)", "#d62728", 0.33), new("Full disclosure", "#1f77b4", 0.25), new("No disclosure", "#2ca02c", 0.11)]),
        ]) { Columns = 1, PanelWidth = 260, PanelHeight = 200 };

    [Fact]
    public void Render_LineFigure_SvgHoldsTitleAxesSeriesAndPointLabels()
    {
        var rendered = ReportChart.Render(LineFigure());

        var svg = XDocument.Parse(rendered.Svg);
        svg.Root!.Name.LocalName.Should().Be("svg");
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        texts.Should().Contain(["M2 validity vs L1 cost as δ_max varies (labels = δ_max)", "german-correction", "sba-temporal",
            "mean L1 cost", "θ₀", "M2 validity", "robust", "robustIp"]);
        texts.Where(t => t is "0.05" or "0.1" or "0.3").Should().HaveCount(5, "every labelled point carries its δ_max");
        svg.Descendants().Count(e => e.Name.LocalName == "polyline").Should().BeGreaterThan(3);
        rendered.Svg.Should().Contain(ReportChart.SvgFontFamily);
    }

    [Fact]
    public void Render_BarFigure_SvgHoldsEveryBarValueAndLegendEntry()
    {
        var rendered = ReportChart.Render(BarFigure());

        var texts = XDocument.Parse(rendered.Svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        texts.Should().Contain(["0.61", "0.42", "0.07", "0.33", "0.25", "0.11"]);
        texts.Should().Contain(["Persuasion (optimal signalling)", "Full disclosure", "No disclosure", "c = 0.5, Δ = 1", "c = 1, Δ = 1", "utility"]);
        texts.Count(t => t == "Full disclosure").Should().Be(1, "the figure has one legend, not one per panel");
    }

    [Fact]
    public void Render_Png_HasTheFigureSizeAtTwiceTheResolutionAndDrawsText()
    {
        var figure = LineFigure();
        var rendered = ReportChart.Render(figure);

        using var bitmap = SKBitmap.Decode(rendered.Png);
        var (width, height) = ReportChart.Size(figure);
        bitmap.Width.Should().Be((int)Math.Ceiling(2 * width));
        bitmap.Height.Should().Be((int)Math.Ceiling(2 * height));
        int dark = 0;
        for (int x = 0; x < bitmap.Width; x++)
            for (int y = 0; y < 60; y++)
                if (bitmap.GetPixel(x, y).Red < 128) dark++;
        dark.Should().BeGreaterThan(200, "the title is drawn in the top band");
    }

    [Fact]
    public void Render_SameFigureTwice_GivesIdenticalSvg()
        => ReportChart.Render(BarFigure()).Svg.Should().Be(ReportChart.Render(BarFigure()).Svg);

    [Fact]
    public void PngFont_TextNoInstalledFontHas_ThrowsNamingTheFigure()
    {
        var figure = new ReportChart.Figure("glyph \U000F0000 from a private plane", [new ReportChart.LinePanel("p", "x", [])]);

        var act = () => ReportChart.Render(figure);

        act.Should().Throw<InvalidOperationException>().WithMessage("*glyph*private plane*fonts-dejavu-core*");
    }

    [Fact]
    public void WriteFiles_TextsAndFigure_WritesSvgAndPngBesideTheTexts()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"chart-{Guid.NewGuid():N}");
        try
        {
            var files = ReportChart.WriteFiles(folder, [("report.md", "# r\n")], [("fig.svg", BarFigure())]);

            files.Select(Path.GetFileName).Should().Equal("report.md", "fig.svg", "fig.png");
            File.ReadAllText(Path.Combine(folder, "report.md")).Should().Be("# r\n");
            XDocument.Parse(File.ReadAllText(Path.Combine(folder, "fig.svg"))).Root!.Name.LocalName.Should().Be("svg");
            File.ReadAllBytes(Path.Combine(folder, "fig.png")).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
            Directory.GetFiles(folder).Should().HaveCount(3, "no temporary file is left behind");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WriteFiles_FigureThatCannotBeDrawn_WritesNothing()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"chart-{Guid.NewGuid():N}");
        var bad = new ReportChart.Figure("\U000F0000", [new ReportChart.LinePanel("p", "x", [])]);

        var act = () => ReportChart.WriteFiles(folder, [("report.md", "# r\n")], [("fig.svg", bad)]);

        act.Should().Throw<InvalidOperationException>();
        Directory.Exists(folder).Should().BeFalse();
    }

    [Fact]
    public void PngName_ReplacesTheSvgExtension() => ReportChart.PngName("german-fig1-lambda.svg").Should().Be("german-fig1-lambda.png");
}
