using Orchestration;

namespace Load.Tests.Deployment;

/// <summary>
/// One partner simulator as its own process (<c>Simulators.dll --only prb</c>): it answers its control API,
/// answers nothing while frozen (SIGSTOP) and carries on after the thaw (SIGCONT). Starts a real process.
/// </summary>
public sealed class SimulatorsProcessTests
{
    [Fact]
    public async Task Only_Prb_FrozenAnswersNothing_ThawedAnswersAgain()
    {
        var folder = Directory.CreateTempSubdirectory("simulators-process-").FullName;
        await using var prb = await SimulatorsProcess.StartAsync(RepositoryLayout.SimulatorsDll(), "prb", folder,
            slowDelay: TimeSpan.FromSeconds(3), settleAfter: TimeSpan.FromSeconds(2));
        using var http = new HttpClient { BaseAddress = prb.Url, Timeout = TimeSpan.FromSeconds(1) };

        Assert.Equal("[]", await http.GetStringAsync(new Uri("/__sim/ledger", UriKind.Relative)));

        await prb.FreezeAsync();
        Assert.True(prb.IsFrozen);
        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetStringAsync(new Uri("/__sim/ledger", UriKind.Relative)));

        await prb.ThawAsync();
        using var patient = new HttpClient { BaseAddress = prb.Url, Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("[]", await patient.GetStringAsync(new Uri("/__sim/ledger", UriKind.Relative)));
        Assert.False(prb.HasExited);
    }

    [Fact]
    public async Task Start_UnknownPartner_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SimulatorsProcess.StartAsync("Simulators.dll", "acme", Path.GetTempPath(), TimeSpan.Zero, TimeSpan.Zero));
    }
}
