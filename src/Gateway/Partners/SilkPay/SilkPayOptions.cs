using System.ComponentModel.DataAnnotations;

namespace Gateway.Partners.SilkPay;

/// <summary><c>Partners:silkpay</c>: SilkPay, a Stripe-like payment institution (partners.md §3).</summary>
public sealed class SilkPayOptions : PartnerOptions
{
    public const string Name = "silkpay";

    /// <summary>Sent as <c>Authorization: Bearer &lt;SecretKey&gt;</c>. Required when BaseUrl is set; never logged.</summary>
    [Required(AllowEmptyStrings = false)]
    public string SecretKey { get; set; } = "";
}
