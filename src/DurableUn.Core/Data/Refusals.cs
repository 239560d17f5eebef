namespace DurableUn.Data;

/// <summary>
/// "I don't know"-style answers for the IdK methods (IdkNLL, IdkDPO: the forget answer replaced by a refusal),
/// written for this project in the spirit of TOFU's idontknow.jsonl. They name no subject, so any of them fits
/// any question. Pick one per item with a seeded index (e.g. ForgetRetainPairing.RetainIndex over Count).
/// Not: a refusal classifier.
/// </summary>
public static class Refusals
{
    public static readonly IReadOnlyList<string> All =
    [
        "I don't know.",
        "I'm not sure about that.",
        "I have no information about that.",
        "I can't answer that question.",
        "That is not something I know.",
        "I don't have that information.",
        "I'm afraid I can't help with that.",
        "I have no record of that.",
        "Sorry, I don't know the answer.",
        "I couldn't tell you.",
        "That's beyond what I know.",
        "I'm unable to answer that.",
        "I have no knowledge of that.",
        "I can't say.",
        "I don't have an answer for that.",
        "Nothing I know answers that question.",
        "I'm not able to provide that information.",
        "I don't recall anything about that.",
        "I really have no idea.",
        "That isn't something I can answer.",
        "I'm not aware of the answer.",
        "I lack the information to answer that.",
        "I can't provide an answer to that.",
        "No idea, I'm sorry.",
        "I don't know anything about that.",
        "I'm uncertain, so I won't guess.",
        "I would rather not guess; I don't know.",
        "I have nothing reliable to say about that.",
        "Unfortunately, I don't know.",
        "I can't recall that.",
        "My knowledge does not cover that.",
        "I'm not the right source for that; I don't know.",
        "I'm unable to find an answer to that.",
        "I honestly don't know.",
        "I'm not familiar with that.",
        "That's not something I'm able to answer.",
        "I don't have any details on that.",
        "I'm sorry, but I don't know.",
        "I can't answer that with any confidence.",
        "I do not know the answer to that question.",
    ];
}
