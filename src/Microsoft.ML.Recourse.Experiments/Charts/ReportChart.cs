using System.Globalization;
using System.Text;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace Microsoft.ML.Recourse.Experiments;

/// <summary>
/// The reports' figures, drawn with OxyPlot: a title, one legend, and panels laid out in a grid, each panel an OxyPlot
/// <see cref="PlotModel"/> (line panels with ± bars and point labels, or bar panels with ± bars and value labels).
/// </summary>
/// <remarks>
/// The SVG comes from OxyPlot.Core's <see cref="SvgRenderContext"/>, which measures text with built-in font metrics: it
/// needs no native library and no installed font, and is the same on every machine. The PNG comes from
/// OxyPlot.SkiaSharp over SkiaSharp's self-contained Linux build (no fontconfig or FreeType from the system); it needs one
/// installed TrueType font that has every character of the figure, looked up in the system's font folders
/// (<c>/usr/share/fonts</c> on Linux). Without one, <see cref="Render"/> throws before anything is written.
/// </remarks>
internal static class ReportChart
{
    /// <summary>One point; a positive <c>Error</c> draws a ± bar, and a <c>Label</c> is written beside the point.</summary>
    internal readonly record struct Point(double X, double Y, double Error = 0, string? Label = null);

    /// <summary>A line with markers.</summary>
    internal sealed record Series(string Name, string Colour, IReadOnlyList<Point> Points, bool Dashed = false);

    /// <summary>One bar; a positive <c>Error</c> draws a ± bar.</summary>
    internal sealed record Bar(string Name, string Colour, double Value, double Error = 0);

    /// <summary>A panel of the figure.</summary>
    internal abstract record Panel(string Title)
    {
        /// <summary>The y axis title, or none.</summary>
        public string? YLabel { get; init; }

        /// <summary>The y axis range.</summary>
        public double YMinimum { get; init; }

        /// <summary>The y axis range.</summary>
        public double YMaximum { get; init; } = 1;
    }

    /// <summary>Lines against a numeric x axis; the x range is the data's unless given.</summary>
    internal sealed record LinePanel(string Title, string XLabel, IReadOnlyList<Series> Series) : Panel(Title)
    {
        /// <summary>The x axis range, or the data's.</summary>
        public double? XMinimum { get; init; }

        /// <summary>The x axis range, or the data's.</summary>
        public double? XMaximum { get; init; }
    }

    /// <summary>Bars side by side, each labelled with its value in <c>ValueFormat</c>.</summary>
    internal sealed record BarPanel(string Title, IReadOnlyList<Bar> Bars) : Panel(Title)
    {
        /// <summary>The format of the value written above each bar.</summary>
        public string ValueFormat { get; init; } = "0.00";
    }

    /// <summary>A figure: its title and panels, <c>Columns</c> panels per row.</summary>
    internal sealed record Figure(string Title, IReadOnlyList<Panel> Panels)
    {
        public int Columns { get; init; } = Math.Max(1, Panels.Count);

        public double PanelWidth { get; init; } = 300;

        public double PanelHeight { get; init; } = 240;
    }

    /// <summary>A rendered figure.</summary>
    internal sealed record Rendered(string Svg, byte[] Png);

    /// <summary>The font family written into the SVG; viewers pick the first they have.</summary>
    internal const string SvgFontFamily = "Helvetica, Arial, sans-serif";

    /// <summary>The PNG's families, tried in this order before any other installed family.</summary>
    internal static readonly string[] PreferredPngFonts = ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans", "Lato"];

    private const double Margin = 10, TitleHeight = 34, LegendRowHeight = 24, LegendLeft = 60, TitleFontSize = 15, LegendFontSize = 12;

    private const float PngScale = 2;

    /// <summary>The figure's size in pixels (the PNG has twice as many in each direction).</summary>
    public static (double Width, double Height) Size(Figure figure)
    {
        var layout = Layout(figure);
        return (layout.Width, layout.Height);
    }

    /// <summary>Where the title, the legend entries and the panels go, measured with <see cref="TextMeasurer"/> so that
    /// the layout is the same for the SVG and the PNG.</summary>
    private sealed record FigureLayout(double Width, double Height, double LegendTop, IReadOnlyList<(LegendEntry Entry, double X, double Y)> Legend);

    private sealed record LegendEntry(string Name, OxyColor Colour, bool Dashed, bool IsBar);

    private static FigureLayout Layout(Figure figure)
    {
        var measurer = new TextMeasurer();
        double Measure(string text, double size) => measurer.MeasureText(text, SvgFontFamily, size, FontWeights.Normal).Width;
        int rows = (figure.Panels.Count + figure.Columns - 1) / figure.Columns;
        double width = Math.Max(2 * Margin + figure.Columns * figure.PanelWidth, Measure(figure.Title, TitleFontSize) + 4 * Margin);
        var legend = new List<(LegendEntry, double, double)>();
        double x = LegendLeft, y = TitleHeight + LegendRowHeight / 2;
        foreach (var entry in LegendEntries(figure))
        {
            double entryWidth = (entry.IsBar ? 17 : 25) + Measure(entry.Name, LegendFontSize);
            if (x > LegendLeft && x + entryWidth > width - Margin)
            {
                x = LegendLeft;
                y += LegendRowHeight;
            }
            legend.Add((entry, x, y));
            x += entryWidth + 28;
        }
        double legendBottom = legend.Count == 0 ? TitleHeight : y + LegendRowHeight / 2;
        return new FigureLayout(width, legendBottom + rows * figure.PanelHeight + Margin, legendBottom, legend);
    }

    /// <summary>Renders the figure as SVG and PNG.</summary>
    /// <exception cref="InvalidOperationException">No installed font has every character of the figure, so the PNG cannot show its text.</exception>
    public static Rendered Render(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return new Rendered(ToSvg(figure), ToPng(figure, PngFont(figure)));
    }

    /// <summary>Renders the figures first and then writes the text files and each figure's SVG and PNG (the SVG's name
    /// with <c>.png</c>) into <paramref name="directory"/>, each atomically, so that a figure that cannot be drawn leaves
    /// no file written; returns the paths.</summary>
    public static IReadOnlyList<string> WriteFiles(string directory, IEnumerable<(string Name, string Content)> texts, IEnumerable<(string SvgName, Figure Figure)> figures)
    {
        var files = texts.Select(t => (t.Name, Bytes: Encoding.UTF8.GetBytes(t.Content))).ToList();
        foreach (var (svgName, figure) in figures)
        {
            var rendered = Render(figure);
            files.Add((svgName, Encoding.UTF8.GetBytes(rendered.Svg)));
            files.Add((PngName(svgName), rendered.Png));
        }
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, bytes) in files)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.Write(path, stream => stream.Write(bytes));
            written.Add(path);
        }
        return written;
    }

    /// <summary>The PNG's name beside an SVG.</summary>
    public static string PngName(string svgName) => Path.ChangeExtension(svgName, ".png");

    private static string ToSvg(Figure figure)
    {
        var (width, height) = Size(figure);
        using var stream = new MemoryStream();
        using (var context = new SvgRenderContext(stream, width, height, isDocument: true, new TextMeasurer(), OxyColors.White, useVerticalTextAlignmentWorkaround: true))
        {
            Draw(context, figure, SvgFontFamily);
            context.Complete();
            context.Flush();
        }
        return Encoding.UTF8.GetString(stream.ToArray()).TrimStart('\uFEFF');
    }

    private static byte[] ToPng(Figure figure, string font)
    {
        var (width, height) = Size(figure);
        using var bitmap = new SKBitmap((int)Math.Ceiling(width * PngScale), (int)Math.Ceiling(height * PngScale));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale(PngScale);
            using var context = new SkiaRenderContext { RenderTarget = RenderTarget.PixelGraphic, SkCanvas = canvas, UseTextShaping = false };
            Draw(context, figure, font);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The first installed family, preferred ones first, that has a glyph for every character of the figure.</summary>
    internal static string PngFont(Figure figure)
    {
        string text = new(Texts(figure).SelectMany(t => t).Append('0').Where(c => !char.IsWhiteSpace(c)).Distinct().ToArray());
        var installed = SKFontManager.Default.FontFamilies.ToArray();
        foreach (string family in PreferredPngFonts.Where(f => installed.Contains(f, StringComparer.OrdinalIgnoreCase))
                     .Concat(installed.Where(f => !PreferredPngFonts.Contains(f, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)))
        {
            using var typeface = SKTypeface.FromFamilyName(family);
            if (typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase) && typeface.ContainsGlyphs(text))
                return family;
        }
        throw new InvalidOperationException(
            $"Cannot draw the PNG of the figure '{figure.Title}': none of the {installed.Length} installed font families has every character of '{text}'. " +
            "Install a TrueType font with Latin and Greek letters in the system's font folder (on Debian or Ubuntu: apt-get install fonts-dejavu-core).");
    }

    private static IEnumerable<string> Texts(Figure figure)
    {
        yield return figure.Title;
        foreach (var name in LegendEntries(figure).Select(e => e.Name)) yield return name;
        foreach (var panel in figure.Panels)
        {
            yield return panel.Title;
            if (panel.YLabel is not null) yield return panel.YLabel;
            if (panel is LinePanel line)
            {
                yield return line.XLabel;
                foreach (var point in line.Series.SelectMany(s => s.Points)) if (point.Label is not null) yield return point.Label;
            }
            if (panel is BarPanel bars)
                foreach (var bar in bars.Bars) yield return bar.Value.ToString(bars.ValueFormat, CultureInfo.InvariantCulture);
        }
        yield return "−-.0123456789";
    }

    private static List<LegendEntry> LegendEntries(Figure figure)
    {
        var entries = new List<LegendEntry>();
        foreach (var panel in figure.Panels)
        {
            var items = panel switch
            {
                LinePanel line => line.Series.Select(s => new LegendEntry(s.Name, OxyColor.Parse(s.Colour), s.Dashed, false)),
                BarPanel bars => bars.Bars.Select(b => new LegendEntry(b.Name, OxyColor.Parse(b.Colour), false, true)),
                _ => [],
            };
            foreach (var item in items)
                if (!entries.Any(e => e.Name == item.Name)) entries.Add(item);
        }
        return entries;
    }

    private static void Draw(IRenderContext context, Figure figure, string font)
    {
        var layout = Layout(figure);
        context.DrawText(new ScreenPoint(layout.Width / 2, 10), figure.Title, OxyColors.Black, font, TitleFontSize, FontWeights.Normal, 0, HorizontalAlignment.Center, VerticalAlignment.Top);
        foreach (var (entry, x, y) in layout.Legend)
        {
            if (entry.IsBar)
                context.DrawRectangle(new OxyRect(x, y - 6, 12, 12), entry.Colour, OxyColors.Undefined, 0, EdgeRenderingMode.Automatic);
            else
                context.DrawLine([new ScreenPoint(x, y), new ScreenPoint(x + 20, y)], entry.Colour, 2.5, EdgeRenderingMode.Automatic, entry.Dashed ? [5, 3] : null, LineJoin.Miter);
            context.DrawText(new ScreenPoint(x + (entry.IsBar ? 17 : 25), y), entry.Name, OxyColors.Black, font, LegendFontSize, FontWeights.Normal, 0, HorizontalAlignment.Left, VerticalAlignment.Middle);
        }
        double left = (layout.Width - figure.Columns * figure.PanelWidth) / 2;
        for (int p = 0; p < figure.Panels.Count; p++)
        {
            int row = p / figure.Columns, column = p % figure.Columns;
            var bounds = new OxyRect(left + column * figure.PanelWidth, layout.LegendTop + row * figure.PanelHeight, figure.PanelWidth, figure.PanelHeight);
            IPlotModel model = Model(figure.Panels[p], font);
            model.Update(true);
            model.Render(context, bounds);
        }
    }

    private static PlotModel Model(Panel panel, string font)
    {
        var model = new PlotModel
        {
            Title = panel.Title,
            TitleFontSize = 12,
            TitleFontWeight = FontWeights.Normal,
            DefaultFont = font,
            DefaultFontSize = 10,
            IsLegendVisible = false,
            Padding = new OxyThickness(6, 4, 12, 4),
            PlotAreaBorderColor = OxyColor.Parse("#999999"),
            Background = OxyColors.Undefined,
        };
        var yAxis = new LinearAxis
        {
            Position = AxisPosition.Left,
            Minimum = panel.YMinimum,
            Maximum = panel.YMaximum,
            MajorStep = NiceStep(panel.YMaximum - panel.YMinimum),
            Title = panel.YLabel,
            MajorGridlineStyle = LineStyle.Solid,
            MajorGridlineColor = OxyColor.Parse("#eeeeee"),
            StringFormat = "0.##",
            AxisTitleDistance = 10,
            Key = "y",
        };
        switch (panel)
        {
            case LinePanel line:
                AddLines(model, line, yAxis);
                break;
            case BarPanel bars:
                AddBars(model, bars, yAxis);
                break;
        }
        return model;
    }

    private static void AddLines(PlotModel model, LinePanel panel, LinearAxis yAxis)
    {
        var xs = panel.Series.SelectMany(s => s.Points).Select(q => q.X).Where(double.IsFinite).ToArray();
        double xMin = panel.XMinimum ?? (xs.Length == 0 ? 0 : xs.Min()), xMax = panel.XMaximum ?? (xs.Length == 0 ? 1 : xs.Max());
        if (xMax <= xMin) xMax = xMin + 1;
        double pad = panel.XMinimum is null && panel.XMaximum is null ? (xMax - xMin) * 0.03 : 0;
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Minimum = xMin - pad, Maximum = xMax + pad, Title = panel.XLabel, StringFormat = "0.##", Key = "x" });
        model.Axes.Add(yAxis);
        foreach (var series in panel.Series)
        {
            var colour = OxyColor.Parse(series.Colour);
            var finite = series.Points.Where(q => double.IsFinite(q.X) && double.IsFinite(q.Y)).ToArray();
            if (finite.Length == 0) continue;
            var lineSeries = new LineSeries
            {
                Title = series.Name,
                Color = colour,
                StrokeThickness = 2,
                LineStyle = series.Dashed ? LineStyle.Dash : LineStyle.Solid,
                MarkerType = MarkerType.Circle,
                MarkerSize = 2.5,
                MarkerFill = colour,
            };
            lineSeries.Points.AddRange(finite.Select(q => new DataPoint(q.X, q.Y)));
            model.Series.Add(lineSeries);
            if (finite.Any(q => q.Error > 0))
            {
                var errors = new ScatterErrorSeries { Title = series.Name, ErrorBarColor = colour, ErrorBarStrokeThickness = 1, ErrorBarStopWidth = 2, MarkerType = MarkerType.None, RenderInLegend = false };
                errors.Points.AddRange(finite.Where(q => q.Error > 0).Select(q => new ScatterErrorPoint(q.X, q.Y, 0, q.Error)));
                model.Series.Add(errors);
            }
            foreach (var q in finite.Where(q => q.Label is not null))
            {
                // Above the point, or below it near the top of the panel, where the plot area would cut it off.
                bool below = q.Y > panel.YMaximum - 0.08 * (panel.YMaximum - panel.YMinimum);
                model.Annotations.Add(new TextAnnotation
                {
                    Text = q.Label,
                    TextPosition = new DataPoint(q.X, q.Y),
                    TextColor = colour,
                    FontSize = 9,
                    Stroke = OxyColors.Undefined,
                    StrokeThickness = 0,
                    Background = OxyColors.Undefined,
                    TextHorizontalAlignment = HorizontalAlignment.Left,
                    TextVerticalAlignment = below ? VerticalAlignment.Top : VerticalAlignment.Bottom,
                    Offset = new ScreenVector(4, below ? 4 : -4),
                    ClipByXAxis = false,
                    ClipByYAxis = false,
                });
            }
        }
    }

    private static void AddBars(PlotModel model, BarPanel panel, LinearAxis yAxis)
    {
        var categories = new CategoryAxis { Position = AxisPosition.Bottom, Key = "x", TickStyle = TickStyle.None, GapWidth = 0.6 };
        categories.Labels.AddRange(panel.Bars.Select(_ => ""));
        model.Axes.Add(categories);
        model.Axes.Add(yAxis);
        bool withErrors = panel.Bars.Any(b => b.Error > 0);
        BarSeries series = withErrors ? new ErrorBarSeries { ErrorStrokeThickness = 1, ErrorWidth = 0.3 } : new BarSeries();
        series.XAxisKey = "y";
        series.YAxisKey = "x";
        series.StrokeThickness = 0;
        for (int i = 0; i < panel.Bars.Count; i++)
        {
            var bar = panel.Bars[i];
            series.Items.Add(withErrors
                ? new ErrorBarItem(bar.Value, Math.Max(0, bar.Error), i) { Color = OxyColor.Parse(bar.Colour) }
                : new BarItem(bar.Value, i) { Color = OxyColor.Parse(bar.Colour) });
            // The value above the bar and its ± bar, also for a bar of height zero.
            model.Annotations.Add(new TextAnnotation
            {
                Text = bar.Value.ToString(panel.ValueFormat, CultureInfo.InvariantCulture),
                TextPosition = new DataPoint(i, Math.Max(0, bar.Value) + Math.Max(0, bar.Error)),
                FontSize = 10,
                Stroke = OxyColors.Undefined,
                StrokeThickness = 0,
                Background = OxyColors.Undefined,
                TextHorizontalAlignment = HorizontalAlignment.Center,
                TextVerticalAlignment = VerticalAlignment.Bottom,
                Offset = new ScreenVector(0, -3),
                ClipByXAxis = false,
                ClipByYAxis = false,
            });
        }
        model.Series.Add(series);
    }

    /// <summary>A step of 1, 2 or 5 times a power of ten giving four to ten ticks.</summary>
    private static double NiceStep(double range)
    {
        if (!(range > 0) || !double.IsFinite(range)) return 0.25;
        double step = Math.Pow(10, Math.Floor(Math.Log10(range / 4)));
        foreach (double multiple in new[] { 1.0, 2.0, 2.5, 5.0, 10.0 })
            if (range / (step * multiple) <= 5) return step * multiple;
        return step * 10;
    }

    /// <summary>
    /// Measures text for the SVG without any font installed: OxyPlot's built-in Helvetica metrics, which are in points,
    /// converted to pixels (96/72) and widened by a tenth for the wider sans-serif faces viewers often substitute
    /// (DejaVu Sans), so that tick labels and axis titles do not overlap.
    /// </summary>
    private sealed class TextMeasurer : PdfRenderContext
    {
        private const double Scale = 96.0 / 72 * 1.1;

        public TextMeasurer()
            : base(100, 100, OxyColors.White)
        {
        }

        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            var size = base.MeasureText(text, fontFamily, fontSize, fontWeight);
            return new OxySize(size.Width * Scale, size.Height * 96.0 / 72);
        }
    }
}
