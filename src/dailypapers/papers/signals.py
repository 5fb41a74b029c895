"""What the core tells other features without knowing them: they connect in their apps'
ready() (the page cache does), so papers/ imports no other feature."""

from django.dispatch import Signal

# Sent after staff hide or show papers; `paper_ids` the papers that changed.
papers_hidden = Signal()
