namespace Gateway.Diagnosis;

public static class DiagnosisSetup
{
    /// <summary>
    /// The cause catalogue (<c>Diagnosis:CausesFile</c>), the ISO 20022 reason table
    /// (<c>Diagnosis:IsoReasonsFile</c>), both defaulting to files beside the binary, and the diagnoser.
    /// </summary>
    public static IServiceCollection AddDiagnosis(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IConfiguration>()["Diagnosis:CausesFile"] ?? CauseCatalogue.DefaultPath;
            return CauseCatalogue.Load(path);
        });
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IConfiguration>()["Diagnosis:IsoReasonsFile"] ?? IsoReasonTable.DefaultPath;
            return IsoReasonTable.Load(path, sp.GetRequiredService<CauseCatalogue>());
        });
        services.AddSingleton<Diagnoser>();
        return services;
    }
}
