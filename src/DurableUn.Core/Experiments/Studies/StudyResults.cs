using DurableUn.Certification;

namespace DurableUn.Experiments;

/// <summary>What a study has produced so far.</summary>
public sealed record StudyResults(IReadOnlyList<CellOutcome> Cells, IReadOnlyList<Certificate> Certificates, IReadOnlyList<CalibrationResult> Calibrations);
