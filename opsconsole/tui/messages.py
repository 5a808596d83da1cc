from textual.message import Message


class StoreChanged(Message):
    """Something was written: by this console, or by another process on the same store."""
