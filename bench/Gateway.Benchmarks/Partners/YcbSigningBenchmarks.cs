using System.Net.Http.Json;
using BenchmarkDotNet.Attributes;
using Gateway.Partners.Ycb;
using Microsoft.Extensions.Options;

namespace Gateway.Benchmarks.Partners;

/// <summary>
/// ycb signing. <c>Sign</c>: the HMAC-SHA256 of the disburse body as lowercase hex alone.
/// <c>SendSigned</c>: a disburse request (JSON content as Refit builds it) sent through
/// <see cref="YcbSignatureHandler"/> to a canned 200, so the body is buffered, signed and the
/// headers set; <c>SendUnsigned</c> is the same send without the handler, the baseline to subtract.
/// </summary>
[MemoryDiagnoser]
public class YcbSigningBenchmarks
{
    private static readonly Uri DisburseUri = new("http://127.0.0.1:1/api/v2/disburse");

    private YcbDisburseRequest _request = null!;
    private byte[] _wireBody = null!;
    private HttpMessageInvoker _signed = null!;
    private HttpMessageInvoker _unsigned = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = new YcbDisburseRequest("po_abcdefghijklmnopqrstuvwxyz", "6222020200112233445", "张三", "ICBC", "5000.00", "CNY", "LN-2026-000123");
        using (var content = JsonContent.Create(_request, options: Gateway.Partners.PartnerWire.Json))
        {
            _wireBody = content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        }

        _signed = new HttpMessageInvoker(new YcbSignatureHandler(Options.Create(Samples.Ycb)) { InnerHandler = new CannedResponseHandler() });
        _unsigned = new HttpMessageInvoker(new CannedResponseHandler());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signed.Dispose();
        _unsigned.Dispose();
    }

    [Benchmark]
    public string Sign() => YcbSignatureHandler.Sign(_wireBody, Samples.Ycb.AppSecret);

    [Benchmark]
    public Task<int> SendSigned() => SendAsync(_signed);

    [Benchmark]
    public Task<int> SendUnsigned() => SendAsync(_unsigned);

    private async Task<int> SendAsync(HttpMessageInvoker invoker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DisburseUri) { Content = JsonContent.Create(_request, options: Gateway.Partners.PartnerWire.Json) };
        using var response = await invoker.SendAsync(request, CancellationToken.None);
        return (int)response.StatusCode;
    }
}
