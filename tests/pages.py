"""Reading pages the way a person does."""

import html
import re


def text_of(response) -> str:
    """The page's text: tags removed, entities decoded, whitespace collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def pdf_outline(content: bytes) -> list[tuple[int, str, int]]:
    """A PDF's outline (its bookmarks) as a screen reader's user meets it: (level, title,
    page number from 1), in order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return entries
