namespace NewsBot.Fakes;

/// <summary>Placeholder.</summary>
public static class FakeServer;
