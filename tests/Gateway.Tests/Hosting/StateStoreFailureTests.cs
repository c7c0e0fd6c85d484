using Gateway.Hosting;
using StackExchange.Redis;

namespace Gateway.Tests.Hosting;

/// <summary>Which Redis answers mean "the state store is unavailable now" (503, nothing recorded, nothing sent).</summary>
public sealed class StateStoreFailureTests
{
    [Theory]
    [InlineData("LOADING Redis is loading the dataset in memory")]
    [InlineData("READONLY You can't write against a read only replica.")]
    [InlineData("CLUSTERDOWN The cluster is down")]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot")]
    [InlineData("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.")]
    [InlineData("NOREPLICAS Not enough good replicas to write.")]
    [InlineData("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.")]
    public void ServerAnswersOfARedisThatCannotServeNow_AreUnavailability(string message) =>
        Assert.True(new RedisServerException(RedisErrorKind.Unknown, CommandFlags.None, message).IsStateStoreFailure());

    [Theory]
    [InlineData("ERR Error running script: attempt to compare nil with number")]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value")]
    [InlineData("NOSCRIPT No matching script.")]
    public void BugsAndDataErrors_AreNotDisguisedAsUnavailability(string message) =>
        Assert.False(new RedisServerException(RedisErrorKind.Unknown, CommandFlags.None, message).IsStateStoreFailure());
}
