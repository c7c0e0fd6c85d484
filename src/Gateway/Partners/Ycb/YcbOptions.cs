using System.ComponentModel.DataAnnotations;

namespace Gateway.Partners.Ycb;

/// <summary><c>Partners:ycb</c>: Yangtze Commercial Bank (partners.md §1).</summary>
public sealed class YcbOptions : PartnerOptions
{
    public const string Name = "ycb";

    /// <summary>Sent as <c>X-YCB-AppId</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AppId { get; set; } = "";

    /// <summary>The HMAC-SHA256 key for <c>X-YCB-Signature</c>. Never logged.</summary>
    [Required(AllowEmptyStrings = false)]
    public string AppSecret { get; set; } = "";
}
