"""OpenAmt: open e-government platform of a Land for its municipalities."""
