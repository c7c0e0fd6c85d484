using System.ComponentModel.DataAnnotations;

namespace Gateway.Partners.Prb;

/// <summary><c>Partners:prb</c>: Pearl River Bank, ISO 20022 over JSON (partners.md §2).</summary>
public sealed class PrbOptions : PartnerOptions
{
    public const string Name = "prb";

    /// <summary>Sent as <c>Authorization: Bearer &lt;Token&gt;</c>. Required when BaseUrl is set; never logged.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Token { get; set; } = "";
}
