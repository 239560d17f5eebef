using DurableUn.Certification;
using DurableUn.Experiments.Calibration;
using DurableUn.Experiments.Results;

namespace DurableUn.Experiments.Studies;

/// <summary>What a study has produced so far.</summary>
public sealed record StudyResults(IReadOnlyList<CellOutcome> Cells, IReadOnlyList<Certificate> Certificates, IReadOnlyList<CalibrationResult> Calibrations);
