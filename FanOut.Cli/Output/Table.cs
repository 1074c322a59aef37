using System.Text;

namespace FanOut.Cli.Output;

/// <summary>
/// A table for a terminal: a header row, then rows, each column as wide as its widest cell, two spaces apart. Colour
/// is added around a cell after padding, so escape codes never upset the alignment. A table without headers is a list
/// of fields (name, value).
/// </summary>
internal sealed class Table(params string[] headers)
{
    public static Table Fields() => new("", "");

    private readonly List<Cell[]> rows = [];

    public void Add(params Cell[] cells) => rows.Add(cells);

    public void WriteTo(TextWriter writer, bool colour)
    {
        var widths = new int[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            widths[i] = headers[i].Length;
        }
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Text.Length);
            }
        }
        if (headers.Any(h => h.Length > 0))
        {
            WriteRow(writer, [.. headers.Select(h => new Cell(h))], widths, colour);
        }
        foreach (var row in rows)
        {
            WriteRow(writer, row, widths, colour);
        }
    }

    private static void WriteRow(TextWriter writer, Cell[] cells, int[] widths, bool colour)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            var text = last ? cells[i].Text : cells[i].Text.PadRight(widths[i]);
            if (colour && cells[i].Colour != Colour.None)
            {
                text = $"\u001b[{(int)cells[i].Colour}m{text.TrimEnd()}\u001b[0m{new string(' ', text.Length - text.TrimEnd().Length)}";
            }
            line.Append(text);
            if (!last)
            {
                line.Append("  ");
            }
        }
        writer.WriteLine(line.ToString().TrimEnd());
    }
}

/// <summary>One cell: its text on one line, and its colour in a terminal.</summary>
internal readonly record struct Cell(string Text, Colour Colour = Colour.None)
{
    public static implicit operator Cell(string text) => new(text);

    /// <summary>A cell for a free text (an error, an output): on one line, cut to <paramref name="max"/> characters.</summary>
    public static Cell Clipped(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new Cell("");
        }
        var flat = text.ReplaceLineEndings(" ");
        return new Cell(flat.Length <= max ? flat : string.Concat(flat.AsSpan(0, max - 1), "…"));
    }

    public static Cell Status(string word) => new(word, StatusWords.ColourOf(word));
}
