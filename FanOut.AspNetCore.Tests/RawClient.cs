using System.Net.Sockets;
using System.Text;

namespace FanOut.AspNetCore.Tests;

/// <summary>HTTP/1.1 by hand, for what HttpClient cannot show: the answer to a request whose body is still being sent.</summary>
internal static class RawClient
{
    /// <summary>
    /// Posts a chunked body that goes on until <paramref name="giveUpAfterBytes"/>, reading the answer while writing.
    /// Returns the answer's status code and how many body bytes were written when it came.
    /// </summary>
    public static async Task<(int Status, long Written)> PostEndlessChunkedBodyAsync(Uri baseAddress, string path, long giveUpAfterBytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(EventApiServer.Patience);
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        await stream.WriteAsync(head, timeout.Token);

        long written = 0;
        var answerRead = ReadStatusAsync(stream, timeout.Token);
        var chunk = new byte[8 * 1024];
        chunk.AsSpan().Fill((byte)' ');
        chunk[0] = (byte)'[';
        var chunkHead = Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n");
        var crlf = "\r\n"u8.ToArray();
        try
        {
            while (!answerRead.IsCompleted && written < giveUpAfterBytes)
            {
                await stream.WriteAsync(chunkHead, timeout.Token);
                await stream.WriteAsync(chunk, timeout.Token);
                await stream.WriteAsync(crlf, timeout.Token);
                Interlocked.Add(ref written, chunk.Length);
                chunk[0] = (byte)' ';
            }
        }
        catch (IOException)
        {
            // The server closed the connection under the body: expected once it has answered.
        }
        int status = await answerRead.WaitAsync(EventApiServer.Patience);
        return (status, Interlocked.Read(ref written));
    }

    /// <summary>Sends only the head of a POST that declares a body of <paramref name="contentLength"/> bytes, and reads the answer's status code.</summary>
    public static async Task<int> PostHeadOnlyAsync(Uri baseAddress, string path, long contentLength)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port);
        var stream = tcp.GetStream();
        using var timeout = new CancellationTokenSource(EventApiServer.Patience);
        var head = Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n\r\n");
        await stream.WriteAsync(head, timeout.Token);
        return await ReadStatusAsync(stream, timeout.Token);
    }

    private static async Task<int> ReadStatusAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        int filled = 0;
        while (filled < 12)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                throw new IOException("The server closed the connection without answering.");
            }
            filled += read;
        }
        // "HTTP/1.1 413 ..."
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3));
    }
}
