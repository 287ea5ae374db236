namespace JobServer.Storage;

/// <summary>
/// The database could not be reached (down, restarting, network). Callers treat it as "pause and retry":
/// background loops back off, HTTP endpoints answer 503. Never thrown for a bad statement or bad data.
/// </summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
