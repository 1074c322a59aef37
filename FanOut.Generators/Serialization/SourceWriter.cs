using System.Text;

namespace FanOut.Generators.Serialization
{
    /// <summary>Writes C# line by line, tracking indentation, so the emitter reads as the code it produces.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder text = new StringBuilder();
        private int depth;

        public void Line(string line = "")
        {
            if (line.Length > 0)
            {
                text.Append(' ', depth * 4);
            }
            text.Append(line).Append('\n');
        }

        /// <summary>Writes <paramref name="line"/> (if any) and an opening brace, and indents.</summary>
        public void Open(string? line = null)
        {
            if (line is not null)
            {
                Line(line);
            }
            Line("{");
            depth++;
        }

        /// <summary>Unindents and writes a closing brace followed by <paramref name="suffix"/>.</summary>
        public void Close(string suffix = "")
        {
            depth--;
            Line("}" + suffix);
        }

        public override string ToString() => text.ToString();
    }
}
