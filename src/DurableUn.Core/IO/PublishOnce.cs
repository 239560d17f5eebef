using System.Runtime.InteropServices;

namespace DurableUn.IO;

/// <summary>
/// Gives a finished temp file its final name unless that name exists, atomically: the primitive under
/// <see cref="Experiments.Results.CellStore"/>. On Linux it calls <c>link(2)</c>, which creates the new name or fails with EEXIST as
/// one step, on local file systems and on NFS (where the server does it; the classic NFS-safe lock-file
/// technique). <c>File.Move(overwrite: false)</c> is not enough: .NET 10 on Linux implements it as "does the target
/// exist? then rename()" (seen with strace), and two writers can both pass the check, the second rename replacing
/// the first file. Where hard links are unsupported (EPERM, EXDEV, EMLINK, ENOSYS, EOPNOTSUPP: FAT, some FUSE and
/// SMB mounts) it falls back to that check-then-rename. On Windows <c>File.Move(overwrite: false)</c> is already
/// atomic (MoveFileEx without REPLACE_EXISTING).
/// Not: removing the temp file when the target exists (the caller owns it).
/// </summary>
internal static partial class PublishOnce
{
    private const int EPERM = 1, EEXIST = 17, EXDEV = 18, EMLINK = 31, ENOSYS = 38, EOPNOTSUPP = 95;

    /// True when <paramref name="temp"/> now has the name <paramref name="target"/> (and no longer its own name);
    /// false when <paramref name="target"/> existed, in which case nothing changed.
    public static bool TryMove(string temp, string target)
    {
        if (OperatingSystem.IsWindows()) return TryMoveChecked(temp, target);
        if (link(temp, target) == 0)
        {
            File.Delete(temp);
            return true;
        }
        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            EEXIST => false,
            EPERM or EXDEV or EMLINK or ENOSYS or EOPNOTSUPP => TryMoveChecked(temp, target),
            _ => throw new IOException($"link('{temp}', '{target}') failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})."),
        };
    }

    private static bool TryMoveChecked(string temp, string target)
    {
        try
        {
            File.Move(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
