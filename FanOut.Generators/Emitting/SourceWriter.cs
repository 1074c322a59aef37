using System.Text;

namespace FanOut.Generators.Emitting
{
    /// <summary>Writes C# line by line with four-space indentation and '\n' line ends, so output is the same on every OS.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder builder = new StringBuilder();
        private int indentation;

        public void WriteLine(string line = "")
        {
            if (line.Length > 0)
            {
                builder.Append(' ', indentation * 4).Append(line);
            }
            builder.Append('\n');
        }

        /// <summary>Writes a fixed block (usually a raw string literal), each of its lines at the current indentation.</summary>
        public void WriteBlock(string text)
        {
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                WriteLine(line);
            }
        }

        public void OpenBlock(string? line = null)
        {
            if (line is not null)
            {
                WriteLine(line);
            }
            WriteLine("{");
            indentation++;
        }

        public void CloseBlock(string suffix = "")
        {
            indentation--;
            WriteLine("}" + suffix);
        }

        public void Indent() => indentation++;

        public void Unindent() => indentation--;

        public override string ToString() => builder.ToString();
    }
}
