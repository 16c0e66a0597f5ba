"""Records <-> database. Imports the foundation only (never spaCy).

``open_engine(url)`` gives an engine (passed in everywhere, never a global);
``save_record`` / ``load_record`` write and read one document's evidence.
"""

from extractor.store.db import SaveStatus, load_record, open_engine, save_record

__all__ = ["SaveStatus", "load_record", "open_engine", "save_record"]
