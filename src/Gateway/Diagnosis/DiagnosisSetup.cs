namespace Gateway.Diagnosis;

public static class DiagnosisSetup
{
    /// <summary>The cause catalogue (<c>Diagnosis:CausesFile</c>, default beside the binary) and the diagnoser.</summary>
    public static IServiceCollection AddDiagnosis(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IConfiguration>()["Diagnosis:CausesFile"] ?? CauseCatalogue.DefaultPath;
            return CauseCatalogue.Load(path);
        });
        services.AddSingleton<Diagnoser>();
        return services;
    }
}
