using FanOut.Ids;

namespace FanOut.Tests.Runtime;

public sealed class NamesAndIdsTests
{
    [Theory]
    [InlineData("app/user.signup")]
    [InlineData("send-welcome-email")]
    [InlineData("stripe/invoice.payment_failed")]
    [InlineData("a")]
    [InlineData("v2/app/user.signup")]
    public void Valid_names_are_accepted(string name) => Assert.True(FanOutNames.IsValid(name, out _));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("inngest/function.failed", "the prefix 'inngest/' is reserved")]
    [InlineData("INNGEST/x", "the prefix 'inngest/' is reserved")]
    [InlineData("/app", "it starts with '/'")]
    [InlineData("app/", "it ends with '/'")]
    [InlineData("app//x", "empty segment")]
    [InlineData("app/user signup", "'space' at position 8 is not allowed")]
    [InlineData("app/.x", "must start with a letter or digit")]
    public void Invalid_names_are_refused_with_the_reason(string name, string reason)
    {
        Assert.False(FanOutNames.IsValid(name, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_name_longer_than_the_limit_is_refused() =>
        Assert.False(FanOutNames.IsValid(new string('a', FanOutNames.MaxLength + 1), out _));

    [Fact]
    public void Ulids_are_26_crockford_characters_and_strictly_increasing_within_a_millisecond()
    {
        var ulid = new Ulid();
        var ids = Enumerable.Range(0, 1000).Select(_ => ulid.New(1_700_000_000_000)).ToArray();

        Assert.All(ids, id => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{26}$", id));
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Ulids_sort_by_time()
    {
        var ulid = new Ulid();
        var earlier = ulid.New(1_800_000_000_000);
        var later = ulid.New(1_800_000_000_001);
        var clockStepsBack = ulid.New(1_500_000_000_000);

        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(string.CompareOrdinal(later, clockStepsBack) < 0);
    }
}
