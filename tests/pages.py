"""Reading pages the way a person does."""

import html
import re


def text_of(response) -> str:
    """The page's text: tags removed, entities decoded, whitespace collapsed."""
    content = response.content.decode()
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())
