"""Document collections: extract, chunk, embed and keep folders of documents searchable.

Importing this package is cheap (the extractor process imports pypdf / python-docx /
selectolax only when a file of that kind arrives).
"""

from assistant.knowledge.collections import Collection, CollectionError, Collections, CollectionStatus
from assistant.knowledge.indexer import IndexControl, Indexer

__all__ = ["Collection", "CollectionError", "CollectionStatus", "Collections", "IndexControl", "Indexer"]
