namespace DurableUn.Methods;

/// <summary>
/// Which hyperparameters an unlearning run used. Stored by its snake_case name ("calibrated", "published",
/// "given") through JsonDefaults, as the strings of folders written before it was typed.
/// </summary>
public enum MethodSetting
{
    /// <summary>The weakest rung of the lr × steps ladder that passes the bf16 audit (the study's threat model).</summary>
    Calibrated,
    /// <summary>The method paper's own defaults.</summary>
    Published,
    /// <summary>Whatever the run was given: a run certified by hand, outside a study.</summary>
    Given,
    /// <summary>
    /// A study's positive control (docs/design.md#positive-control): a calibrated run's update kept inside every bin of
    /// the pipeline's 4-bit deployment. Never certified.
    /// </summary>
    Control,
}
