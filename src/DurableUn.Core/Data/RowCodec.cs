using System.Text.Json;

namespace DurableUn.Data;

/// <summary>
/// Maps between on-disk records and typed rows, with the benchmarks' field names: RawRow → DataRow when loading,
/// DataRow → JSON object when writing. The key-fact fields (key_fact, key_fact_start, key_fact_end) are all present
/// or all absent, and the span must lie inside the answer and equal key_fact.
/// Not: file handling (RowFileReader, RowFileWriter).
/// </summary>
internal static class RowCodec
{
    public static DataRow Read(RowKind kind, RawRow row) => kind switch
    {
        RowKind.Qa => ReadQa(row),
        RowKind.PerturbedQa => ReadPerturbed(row),
        RowKind.Text => new TextItem(row.String("text")),
        RowKind.VerbMem => new VerbMemItem(row.String("prompt"), row.String("gt")),
        RowKind.Wpu => ReadWpu(row),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static void Write(Utf8JsonWriter w, DataRow row)
    {
        w.WriteStartObject();
        switch (row)
        {
            case QaItem q:
                w.WriteString("question", q.Question);
                w.WriteString("answer", q.Answer);
                WriteKeyFact(w, q.KeyFact);
                break;
            case PerturbedQaItem p:
                w.WriteString("question", p.Question);
                w.WriteString("answer", p.Answer);
                if (p.ParaphrasedAnswer is not null) w.WriteString("paraphrased_answer", p.ParaphrasedAnswer);
                w.WriteStartArray("perturbed_answer");
                foreach (var a in p.PerturbedAnswers) w.WriteStringValue(a);
                w.WriteEndArray();
                WriteKeyFact(w, p.KeyFact);
                break;
            case TextItem t:
                w.WriteString("text", t.Text);
                break;
            case VerbMemItem v:
                w.WriteString("prompt", v.Prompt);
                w.WriteString("gt", v.Gt);
                break;
            case WpuItem x:
                w.WriteString("title", x.Title);
                if (x.Wikipage is not null) w.WriteString("wikipage", x.Wikipage);
                w.WriteString("question", x.Question);
                w.WriteString("answer", x.Answer);
                WriteKeyFact(w, x.KeyFact);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(row), row.GetType().Name, null);
        }
        w.WriteEndObject();
    }

    // Fields are read in schema order, so a file with another schema reports its first missing field.
    private static QaItem ReadQa(RawRow row)
    {
        var question = row.String("question");
        var answer = row.String("answer");
        return new QaItem(question, answer, ReadKeyFact(row, answer));
    }

    private static PerturbedQaItem ReadPerturbed(RawRow row)
    {
        var question = row.String("question");
        var answer = row.String("answer");
        return new PerturbedQaItem(question, answer, row.OptionalString("paraphrased_answer"),
            row.StringList("perturbed_answer"), ReadKeyFact(row, answer));
    }

    private static WpuItem ReadWpu(RawRow row)
    {
        // WPU's card: forget rows carry the person's page; *_hard_retain and general_retain rows may not (title,
        // question, answer only), so wikipage is optional here and required where a document is needed.
        var (title, wikipage, question) = (row.String("title"), row.OptionalString("wikipage"), row.String("question"));
        var answer = row.String("answer");
        return new WpuItem(title, wikipage, question, answer, ReadKeyFact(row, answer));
    }

    private static KeyFact? ReadKeyFact(RawRow row, string answer)
    {
        var text = row.OptionalString("key_fact");
        var start = row.OptionalInt("key_fact_start");
        var end = row.OptionalInt("key_fact_end");
        if (text is null && start is null && end is null) return null;
        if (text is null) throw row.Error("key_fact", "missing while key_fact_start/key_fact_end are present");
        if (start is null) throw row.Error("key_fact_start", "missing while key_fact is present");
        if (end is null) throw row.Error("key_fact_end", "missing while key_fact is present");
        if (start < 0 || end > answer.Length || start > end)
            throw row.Error("key_fact_start", $"span [{start}, {end}) is not inside the answer ({answer.Length} chars)");
        if (answer[start.Value..end.Value] != text)
            throw row.Error("key_fact", $"answer[{start}..{end}] is '{answer[start.Value..end.Value]}', not '{text}'");
        return new KeyFact(text, start.Value, end.Value);
    }

    private static void WriteKeyFact(Utf8JsonWriter w, KeyFact? fact)
    {
        if (fact is null) return;
        w.WriteString("key_fact", fact.Text);
        w.WriteNumber("key_fact_start", fact.Start);
        w.WriteNumber("key_fact_end", fact.End);
    }
}
