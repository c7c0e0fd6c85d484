using System.Runtime.InteropServices;

namespace LoadDriver.Reports;

/// <summary>The machine a run was measured on, for the report.</summary>
public sealed record MachineInfo(int LogicalCores, string Cpu, string Os, string Runtime, string Architecture)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.ProcessArchitecture.ToString());

    public override string ToString() => $"{LogicalCores} logical cores ({Cpu}), {Os}, {Runtime}, {Architecture}";

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "cpu model unknown";
        }
        catch (IOException)
        {
            return "cpu model unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "cpu model unknown";
        }
    }
}
