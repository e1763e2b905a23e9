namespace Microsoft.ML.Recourse;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder, which then replaces the target
/// in one rename, so a failure never leaves a half-written file over a good one.
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes a file through a stream callback.</summary>
    /// <param name="path">The target path; its folder is created when missing.</param>
    /// <param name="write">Writes the whole content to the stream.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Writes text (UTF-8, no byte-order mark) atomically.</summary>
    /// <param name="path">The target path.</param>
    /// <param name="contents">The text.</param>
    public static void WriteAllText(string path, string contents)
        => Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            w.Write(contents);
        });

    /// <summary>Writes several text files into one folder (created when missing), each atomically; returns their paths.</summary>
    internal static IReadOnlyList<string> WriteAllText(string directory, IEnumerable<(string Name, string Content)> files)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, content) in files)
        {
            string path = Path.Combine(directory, name);
            WriteAllText(path, content);
            written.Add(path);
        }
        return written;
    }

    /// <summary>
    /// Checks, before any long work, that files can be written into <paramref name="directory"/> (which may not exist
    /// yet): an error names <paramref name="flag"/> and the reason (a file in the way, no permission, a read-only file
    /// system). The check leaves nothing behind: folders it had to create for the probe are removed again, so a run
    /// that fails later leaves no empty output folder.
    /// </summary>
    public static void CheckWritableDirectory(string directory, string flag)
    {
        string full = Path.GetFullPath(directory);
        if (File.Exists(full)) throw new ArgumentException($"{flag}: '{full}' is a file; give a folder.");
        var created = new List<string>();
        for (string? d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            if (File.Exists(d)) throw new ArgumentException($"{flag}: cannot write into '{full}': '{d}' is a file.");
            created.Add(d);
        }
        string probe = Path.Combine(full, $".write-check.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(full);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            string reason = e switch
            {
                UnauthorizedAccessException => "permission denied",
                FileNotFoundException or DirectoryNotFoundException => "the file system does not accept new files there",
                _ => e.Message.Replace(probe, full, StringComparison.Ordinal).TrimEnd('.'),
            };
            throw new ArgumentException($"{flag}: cannot write into '{full}' ({reason}).", e);
        }
        finally
        {
            foreach (string d in created) // deepest first
                try { if (Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any()) Directory.Delete(d); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Checks, before any long work, that <paramref name="path"/> can be written (its folder writable, not a folder itself).</summary>
    public static void CheckWritableFile(string path, string flag)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"{flag}: '{full}' is a folder; give a file name.");
        CheckWritableDirectory(Path.GetDirectoryName(full)!, flag);
    }
}
