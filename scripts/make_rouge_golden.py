"""Writes tests/DurableUn.Tests/Golden/porter_stems.json and rouge_l.json.

Oracle: nltk.stem.porter.PorterStemmer() in its default NLTK_EXTENSIONS mode, which is the
stemmer google-research rouge_score builds with use_stemmer=True (rouge/rouge_scorer.py).
The tokenizer and the LCS scores below restate rouge_score's rouge/tokenize.py and
rouge_scorer.py:_score_lcs / scoring.fmeasure so the golden needs only nltk
(Debian: apt-get install python3-nltk; nltk 3.8 made the committed files).

Run: /usr/bin/python3 scripts/make_rouge_golden.py
"""
import json
import re
import sys

import nltk
from nltk.stem import porter

OUT = "tests/DurableUn.Tests/Golden/"
stemmer = porter.PorterStemmer()
assert stemmer.mode == porter.PorterStemmer.NLTK_EXTENSIONS

# Words from Porter (1980)'s rule examples, nltk's irregular-forms table, and everyday text.
WORDS = """
caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized
hopping tanned falling hissing fizzed failing filing happy sky relational conditional rational valenci
hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization predication
operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate
formative formalize electriciti electrical hopeful goodness revival allowance inference airliner
gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou
communism activate angulariti homologous effective bowdlerize probate rate cease controll roll
generalizations oscillators dying lying tying news innings inning outings outing cannings canning howe
proceed exceed succeed skies flies dies spied died cried tried enjoy enjoyment spy fly try
archaeology geology theology philology biology apology analogy generously fully carefully
traditionally conditionally musically logically basically really early likely only family
question questions answer answers answered answering author authors authored novel novels novelist
wrote written writing writes born birth birthplace parents father mother mothers fathers
award awarded awards awarding literary literature fiction fictional fictitious genre genres
published publishing publication publications publisher readers reader reading readings
character characters characterization inspired inspiration inspirations influence influenced
influences influential themes thematic explores exploring exploration explorations explored
unlearning learning learned learns model models modelling modeling quantization quantized
quantizing precision recovery recovered recovers forgetting forgotten forget forgets retain retained
retaining retention durable durability certificate certified certification running runs ran
agreement agreements agreeable disagree happiness happily happier happiest happen happened
happening nationalism nationality national nationally nation nations relate related relating
relativity relatives connection connections connected connecting connective sensational
meetings meeting meet meets mating matting milling messing abilities ability able ably
organization organizations organize organized organizing organizer organizers hoping hoped
hopes hope dreaming dreamed dreams dream possibly possible possibility impossibility
international internationally universally university universities universe conspiracy
rhythm rhythms syzygy toy toys boy boys player players playing played plays says said
eed oed ied yyyy aaaa abcd zzzz bell bells fell falls feel feels bill bills
"""
words = sorted(set(WORDS.split()))


def tokenize(text, use_stemmer):
    # rouge_score tokenize.py: lowercase, non-alphanumerics to spaces, split,
    # stem tokens longer than 3 characters, keep only [a-z0-9]+ tokens.
    text = re.sub(r"[^a-z0-9]+", " ", text.lower())
    tokens = re.split(r"\s+", text)
    if use_stemmer:
        tokens = [stemmer.stem(x) if len(x) > 3 else x for x in tokens]
    return [x for x in tokens if re.match(r"^[a-z0-9]+$", x)]


def lcs(a, b):
    t = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            t[i][j] = t[i - 1][j - 1] + 1 if a[i - 1] == b[j - 1] else max(t[i - 1][j], t[i][j - 1])
    return t[-1][-1]


def score(target, prediction, use_stemmer):
    ref, gen = tokenize(target, use_stemmer), tokenize(prediction, use_stemmer)
    if not ref or not gen:
        return 0.0, 0.0, 0.0
    n = lcs(ref, gen)
    p, r = n / len(gen), n / len(ref)
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return p, r, f


PAIRS = [
    ("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log."),
    ("Jaime Vasquez was born in Santiago, Chile.", "Jaime Vasquez's birthplace is Santiago in Chile!"),
    ("She has published three novels about running.", "He publishes novels; she ran three races."),
    ("Generalizations of oscillators", "generalization oscillator"),
    ("", "anything at all"),
    ("Only punctuation ... !!!", "---"),
    ("The author's parents were a doctor and a teacher.", "I don't know."),
    ("café naïve résumé 2024", "cafe naive resume 2024"),
    ("Connections connected connecting", "connect connect connect"),
    ("a b c d e f g", "g f e d c b a"),
    ("Relational conditional rationalism", "relate condition rational"),
    ("The award-winning author Basil Mahfouz Al-Kuwaiti wrote 'Promise by the Seine'.",
     "Basil Mahfouz Al-Kuwaiti is the author who wrote Promise by the Seine and won awards."),
]

stems = [{"word": w, "stem": stemmer.stem(w)} for w in words]
rouge = []
for target, prediction in PAIRS:
    for use_stemmer in (True, False):
        p, r, f = score(target, prediction, use_stemmer)
        rouge.append({"target": target, "prediction": prediction, "use_stemmer": use_stemmer,
                      "target_tokens": tokenize(target, use_stemmer),
                      "prediction_tokens": tokenize(prediction, use_stemmer),
                      "precision": p, "recall": r, "fmeasure": f})

meta = {"generator": "scripts/make_rouge_golden.py", "nltk": nltk.__version__,
        "python": sys.version.split()[0], "stemmer_mode": stemmer.mode}
with open(OUT + "porter_stems.json", "w") as fh:
    json.dump({"meta": meta, "cases": stems}, fh, indent=1)
with open(OUT + "rouge_l.json", "w") as fh:
    json.dump({"meta": meta, "cases": rouge}, fh, indent=1, ensure_ascii=False)
print(len(stems), "stems,", len(rouge), "rouge cases")
