"""A small shop whose features sit behind flags from several SDKs and a homegrown helper."""
