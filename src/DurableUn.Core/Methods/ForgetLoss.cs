namespace DurableUn.Methods;

/// <summary>The forget objective of the methods that let the user choose it (SURE, SAF): both minimised.</summary>
public enum ForgetLoss
{
    /// −NLL(forget), gradient ascent.
    Ga,
    /// NPO's bounded log-sigmoid loss against the reference.
    Npo,
}

/// <summary>Evaluates a <see cref="ForgetLoss"/> on scored forget logits (with reference logits for NPO).</summary>
public static class ForgetTerm
{
    public static bool NeedsReference(ForgetLoss kind) => kind == ForgetLoss.Npo;

    public static TorchSharp.torch.Tensor Of(ForgetLoss kind, Scored forget, double beta, NpoForm form = NpoForm.Seq) => kind switch
    {
        ForgetLoss.Ga => GradAscent.Of(forget),
        ForgetLoss.Npo => Npo.Forget(form, forget, beta),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
