"""English left on a page meant to be French: the words of a rendered page (text and
the attributes people read) that are English and not French, with their context.

The word list holds common English words that French does not use (function words,
and the product's own vocabulary: tool, weight, run, ...); names of products and
methods (TOPSIS, Monte Carlo, ...) are words French keeps and are not in it. Data a
test types should avoid these words (name tools "Outil A", not "Tool A")."""

import re
from html.parser import HTMLParser

ENGLISH = frozenset(
    """
    the and of to with is are was were this that these those for from by into your
    you our we it its be been being has have had not yes an at all any each every
    which what when where who how why would will can cannot could should than then
    there here more less only also just very same other others another such
    run runs ran running tool tools weight weights weighted ranking rankings ranked
    rank ranks first third lower higher better best worst edit delete save
    saved cancel back sign out new add added remove search show hide download upload
    import choose chosen enter entered missing none done failed queued started
    step steps help name names price prices evidence criterion criteria method
    methods profile profiles workspace workspaces owner viewer editor user password
    errors forbidden settings change changed changes since again now still between
    above below share shares draws under over about survey surveys compared
    side every tied tie ties wins win winner robust stays stay keeps
    keep while would could view list open closed without before after next previous
    result results study batch batches chart charts table value values low high
    """.split()
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


class _Text(HTMLParser):
    """The text a person reads: element text and the attributes above, without
    scripts, styles, code, and elements in another language (``lang`` on anything but
    <html>: the language switch names each language in itself)."""

    # scripts and styles, and identifiers quoted as code (CSV columns, API keys)
    SKIP = {"script", "style", "template", "code", "kbd", "samp"}
    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skipped: str | None = None  # the tag of the element being skipped
        self._depth = 0  # how deep its own tag nests inside it

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._skipped:
            self._depth += tag == self._skipped
            return
        if tag not in self.VOID and (
            tag in self.SKIP or ("lang" in attributes and tag != "html")
        ):
            self._skipped, self._depth = tag, 1
            return
        self.parts.extend(
            attributes[name] for name in READ_ATTRIBUTES if attributes.get(name)
        )
        if tag == "input" and attributes.get("type") in {"submit", "button"}:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self._skipped and tag == self._skipped:
            self._depth -= 1
            if not self._depth:
                self._skipped = None

    def handle_data(self, data):
        if not self._skipped:
            self.parts.append(data)


def readable_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


URL = re.compile(r"\bhttps?://\S+")


def english_left(html: str, allow=(), phrases=()) -> list[str]:
    """Each English word in the page's readable text, with a few words around it.

    Addresses and words in capitals (acronyms: IT, ROI) are not read; ``allow`` names
    words and ``phrases`` word groups French keeps as they are ("open source")."""
    allowed = {word.lower() for word in allow}
    text = URL.sub(" ", readable_text(html))
    for phrase in phrases:
        text = re.sub(re.escape(phrase), " ", text, flags=re.IGNORECASE)
    found = []
    for match in WORD.finditer(text):
        word = match.group(0)
        if word.isupper() or word.lower() not in ENGLISH or word.lower() in allowed:
            continue
        start, end = max(match.start() - 40, 0), match.end() + 40
        found.append(f"{word!r} in ...{text[start:end]}...")
    return found
