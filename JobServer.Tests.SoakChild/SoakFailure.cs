namespace JobServer.Tests.SoakChild;

/// <summary>The failure a soak job's script asks for; any other exception in a soak job is a finding.</summary>
public sealed class SoakFailure(string message) : Exception(message);
