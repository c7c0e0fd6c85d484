using LoadDriver.Api;
using LoadDriver.Checks;
using LoadDriver.Deployment;
using LoadDriver.Payouts;
using LoadDriver.Runs;
using Simulators.Ycb;

namespace ChaosSuite.Scenarios;

/// <summary>
/// Two gateway instances share Redis; the second gets SIGTERM under load (a deploy or a scale-down)
/// and drains: requests it refuses meanwhile get 503 <c>shutting-down</c> (nothing recorded, the
/// drain resubmits the key), payouts in flight finish or are handed over to the first instance.
/// For 2 s before the SIGTERM the ordinary payouts sent to it are answered by the bank only 3 s
/// later, so the drain has work in flight. Once it has exited (waited for at most
/// <see cref="ExitWithin"/>) it is started again, as a deploy would. Every payout must end final,
/// none executed twice; the only 5xx excused is 503 shutting-down from the draining instance.
/// </summary>
internal sealed class GatewaySigtermScenario : IChaosScenario
{
    private const int Instances = 2;
    private const int Victim = Instances - 1;

    /// <summary>How long the draining instance may take to exit before the scenario stops waiting.</summary>
    public static readonly TimeSpan ExitWithin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan InFlightWindow = TimeSpan.FromSeconds(2);

    public string Name => "gateway-sigterm";

    public string Description => "one of 2 gateways gets SIGTERM under load, drains and exits, then is started again";

    public string? PendingReason => null;

    public DeploymentOptions Deployment(DeploymentOptions baseline) => baseline with { Instances = Instances };

    public ScenarioPlan Plan(LocalDeployment deployment, FaultTiming timing, FaultLog log)
    {
        var slowed = 0;
        DateTimeOffset? termed = null, back = null;
        bool Explained(SubmitAnswer answer) =>
            answer.HttpStatus == 503 && answer.ProblemSlug == "shutting-down" && answer.Instance == Victim
            && termed is { } from && answer.AnsweredAt >= from && (back is not { } to || answer.SentAt <= to);

        return new ScenarioPlan(
            new LoadHooks
            {
                BeforeSend = (payout, sinceSteadyStart) =>
                {
                    if (payout.Phase == LoadRun.SteadyPhase && payout.Kind == PayoutKind.Ordinary
                        && InstanceRouter.Route(payout, Instances) == Victim
                        && sinceSteadyStart >= timing.After - InFlightWindow && sinceSteadyStart < timing.After)
                    {
                        Interlocked.Increment(ref slowed);
                        deployment.Ycb.SetBehaviour(payout.AccountNumber,
                            new YcbBehaviour(YcbMode.SlowAfterExecute, Delay: TimeSpan.FromSeconds(3), Times: 1));
                    }
                },
                DuringSteady = async cancellationToken =>
                {
                    await Task.Delay(timing.After, cancellationToken);
                    var victim = deployment.Gateways[Victim];
                    termed = log.Note($"SIGTERM {victim.Name} with {Volatile.Read(ref slowed)} payouts answered slowly by the bank in flight");
                    var exited = await victim.StopAsync(ExitWithin);
                    log.Note(exited ? $"{victim.Name} exited (code {victim.ExitCode})" : $"{victim.Name} still running after {ExitWithin.TotalSeconds:0} s");
                    var rest = timing.For - (DateTimeOffset.UtcNow - termed.Value);
                    if (rest > TimeSpan.Zero)
                    {
                        await Task.Delay(rest, cancellationToken);
                    }

                    if (!exited)
                    {
                        await victim.KillAsync();
                    }

                    await deployment.StartGatewayAsync(Victim, cancellationToken);
                    back = log.Note($"{victim.Name} started again");
                    log.Window("gateway-2 draining/down", termed.Value, back.Value, [], TimeSpan.Zero, mayFailOver: false);
                },
            },
            log.Policy(new CheckPolicy
            {
                RequireAllFinal = true,
                ServerErrorExplained = Explained,
                RepeatAnswerExplained = Explained,
                Allowance = "503 shutting-down from the instance given SIGTERM, from the signal until it is started again.",
            }));
    }
}
