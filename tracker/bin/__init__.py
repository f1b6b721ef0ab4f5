"""The bin: what people deleted by mistake, kept whole for a while so it can be restored."""
