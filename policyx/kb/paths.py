"""Where a knowledge base's files are: the bundled knowledge base, a source's text.

Plain path arithmetic, apart from the loader, so that a run served from the cache finds them
without importing the loader.
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from .model import KnowledgeBase, Source


def bundled_path() -> Path:
    """The bundled knowledge base: inside the package when installed from a
    wheel, at the repository's data/ in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "data" / "positions.yaml"
    return inside if inside.exists() else package.parent / "data" / "positions.yaml"


def source_path(kb: KnowledgeBase, source: Source) -> Path | None:
    """Where a source's ``file`` points: relative to the knowledge base's folder."""
    if source.file is None:
        return None
    return Path(kb.file_of(source.id)).parent / source.file
