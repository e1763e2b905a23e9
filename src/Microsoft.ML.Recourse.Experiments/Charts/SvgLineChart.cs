using System.Globalization;
using System.Text;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>Hand-written SVG line charts on a [0, 1] y axis: panels side by side, each with its own series, and one legend.</summary>
internal static class SvgLineChart
{
    /// <summary>One point; a positive <c>Error</c> draws a ± bar (a standard error).</summary>
    internal readonly record struct Point(double X, double Y, double Error);

    internal sealed record Series(string Name, string Colour, IReadOnlyList<Point> Points, bool Dashed = false);

    internal sealed record Panel(string Title, string XLabel, IReadOnlyList<Series> Series);

    private const int PanelWidth = 260, PanelHeight = 200, Left = 55, Top = 70, Gap = 45, Bottom = 50;

    public static string Render(string title, IReadOnlyList<Panel> panels)
    {
        int width = Left + panels.Count * (PanelWidth + Gap), height = Top + PanelHeight + Bottom;
        var svg = new StringBuilder();
        svg.AppendLine(I($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\">"));
        svg.AppendLine(I($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>"));
        svg.AppendLine(I($"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">{Escape(title)}</text>"));
        var legend = panels.SelectMany(p => p.Series).GroupBy(s => s.Name).Select(g => g.First()).ToList();
        for (int i = 0; i < legend.Count; i++)
        {
            int x = Left + i * 170;
            svg.AppendLine(I($"<line x1=\"{x}\" y1=\"41\" x2=\"{x + 20}\" y2=\"41\" stroke=\"{legend[i].Colour}\" stroke-width=\"2.5\"{Dash(legend[i])}/>"));
            svg.AppendLine(I($"<text x=\"{x + 25}\" y=\"45\" font-size=\"11\">{Escape(legend[i].Name)}</text>"));
        }
        for (int p = 0; p < panels.Count; p++) DrawPanel(svg, Left + p * (PanelWidth + Gap), Top, panels[p]);
        return svg.AppendLine("</svg>").ToString();
    }

    private static void DrawPanel(StringBuilder svg, int x, int y, Panel panel)
    {
        var points = panel.Series.SelectMany(s => s.Points).Where(q => double.IsFinite(q.X)).ToList();
        double xMin = points.Count == 0 ? 0 : points.Min(q => q.X), xMax = points.Count == 0 ? 1 : points.Max(q => q.X);
        if (xMax <= xMin) xMax = xMin + 1;
        double Sx(double v) => x + (v - xMin) / (xMax - xMin) * PanelWidth;
        double Sy(double v) => y + PanelHeight - Math.Clamp(v, 0, 1) * PanelHeight;
        svg.AppendLine(I($"<text x=\"{x + PanelWidth / 2}\" y=\"{y - 8}\" text-anchor=\"middle\" font-size=\"12\">{Escape(panel.Title)}</text>"));
        svg.AppendLine(I($"<rect x=\"{x}\" y=\"{y}\" width=\"{PanelWidth}\" height=\"{PanelHeight}\" fill=\"none\" stroke=\"#999\"/>"));
        for (int t = 0; t <= 4; t++)
        {
            double v = t / 4.0, ty = Sy(v);
            svg.AppendLine(I($"<line x1=\"{x}\" y1=\"{ty:0.##}\" x2=\"{x + PanelWidth}\" y2=\"{ty:0.##}\" stroke=\"#eee\"/>"));
            svg.AppendLine(I($"<text x=\"{x - 5}\" y=\"{ty + 4:0.##}\" text-anchor=\"end\" font-size=\"10\">{v:0.##}</text>"));
        }
        for (int t = 0; t <= 4; t++)
        {
            double v = xMin + (xMax - xMin) * t / 4, tx = Sx(v);
            svg.AppendLine(I($"<text x=\"{tx:0.##}\" y=\"{y + PanelHeight + 14}\" text-anchor=\"middle\" font-size=\"10\">{v:0.##}</text>"));
        }
        svg.AppendLine(I($"<text x=\"{x + PanelWidth / 2}\" y=\"{y + PanelHeight + 32}\" text-anchor=\"middle\" font-size=\"11\">{Escape(panel.XLabel)}</text>"));
        foreach (var series in panel.Series)
        {
            var finite = series.Points.Where(q => double.IsFinite(q.Y)).ToList();
            if (finite.Count == 0) continue;
            string path = string.Join(" ", finite.Select(q => I($"{Sx(q.X):0.##},{Sy(q.Y):0.##}")));
            svg.AppendLine(I($"<polyline points=\"{path}\" fill=\"none\" stroke=\"{series.Colour}\" stroke-width=\"2\"{Dash(series)}/>"));
            foreach (var q in finite)
            {
                svg.AppendLine(I($"<circle cx=\"{Sx(q.X):0.##}\" cy=\"{Sy(q.Y):0.##}\" r=\"2.5\" fill=\"{series.Colour}\"><title>{Escape(series.Name)} at {q.X:0.##}: {q.Y:0.000}</title></circle>"));
                if (q.Error > 0)
                    svg.AppendLine(I($"<line x1=\"{Sx(q.X):0.##}\" y1=\"{Sy(q.Y - q.Error):0.##}\" x2=\"{Sx(q.X):0.##}\" y2=\"{Sy(q.Y + q.Error):0.##}\" stroke=\"{series.Colour}\"/>"));
            }
        }
    }

    private static string Dash(Series series) => series.Dashed ? " stroke-dasharray=\"5,3\"" : "";

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
