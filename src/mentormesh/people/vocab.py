"""The skills vocabulary: normalising what people type, and syncing the curated file."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

VOCABULARY_FILE = Path(__file__).with_name("data") / "skills.json"
_SPACES = re.compile(r"[\s_]+")


def normalize_skill_key(text: str) -> str:
    """'  Python3 ' and 'python3' are one key; 'Machine_Learning' and 'machine learning' too."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    return _SPACES.sub(" ", text)


def load_vocabulary_file(path: Path = VOCABULARY_FILE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))
