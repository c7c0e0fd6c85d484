using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Proxy;

/// <summary>
/// HTTP/1.1 written byte for byte on a TCP socket, so a request target reaches the server exactly
/// as the test wrote it (HttpClient would normalise dot segments, escapes and absolute forms).
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body)
    {
        public string? Header(string name) => Head.Split("\r\n")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && string.Equals(parts[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();
    }

    /// <summary>Sends <c>method target HTTP/1.1</c> with the given headers (Host first) and body, <c>Connection: close</c>, and reads the whole answer.</summary>
    public static async Task<Answer> SendAsync(Uri server, string method, string target, string host,
        IEnumerable<(string Name, string Value)> headers, byte[]? body = null)
    {
        var request = new StringBuilder();
        request.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        request.Append("Host: ").Append(host).Append("\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (body is not null)
        {
            request.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        request.Append("Connection: close\r\n\r\n");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cancel.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()), cancel.Token);
        if (body is not null)
        {
            await stream.WriteAsync(body, cancel.Token);
        }

        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, cancel.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // The server closed (or reset) after answering: what was read is the answer.
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no HTTP answer to {method} {target}: '{text}'");
        var head = text[..split];
        var status = int.Parse(head.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Answer(status, head, text[(split + 4)..]);
    }
}
